/** Commits whatever an agent left in its worktree, so every run ends as commits on the task branch. */
import { GitError, git } from "../../node/git-exec.js";

export const GROVE_AUTHOR = { name: "grove", email: "grove@localhost" } as const;

/**
 * `git add -A` (ignored files stay out) and a commit of everything staged. The author and
 * committer are the repository's configured user.name/user.email, or grove <grove@localhost>
 * where those are unset. Hooks and signing are skipped: this is a checkpoint made by a
 * detached process, which must neither block on a pinentry nor lose the work to a failing
 * pre-commit hook. Returns the new commit's sha, or undefined when there was nothing to commit.
 */
export async function commitAll(worktree: string, message: string): Promise<string | undefined> {
  await git(worktree, ["add", "-A"]);
  if (!(await hasStagedChanges(worktree))) return undefined;
  const name = await configValue(worktree, "user.name");
  const email = await configValue(worktree, "user.email");
  const identity =
    name && email
      ? []
      : ["-c", `user.name=${name ?? GROVE_AUTHOR.name}`, "-c", `user.email=${email ?? GROVE_AUTHOR.email}`];
  const text = message.trim() === "" ? "grove: agent changes" : message;
  await git(worktree, [
    ...identity,
    "-c",
    "commit.gpgsign=false",
    "commit",
    "--quiet",
    "--no-verify",
    "--cleanup=whitespace",
    "-m",
    text,
  ]);
  return (await git(worktree, ["rev-parse", "HEAD"])).trim();
}

async function hasStagedChanges(worktree: string): Promise<boolean> {
  try {
    await git(worktree, ["diff", "--cached", "--quiet"]);
    return false;
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 1) return true;
    throw error;
  }
}

async function configValue(worktree: string, key: string): Promise<string | undefined> {
  try {
    const value = (await git(worktree, ["config", "--get", key])).trim();
    return value === "" ? undefined : value;
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 1) return undefined; // Not set.
    throw error;
  }
}
