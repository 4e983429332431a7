/** Archiving finished task branches under refs/grove/, so their commits stay reachable without a branch. */
import { GitError, git } from "../../node/git-exec.js";
import { resolveCommit, worktreeForBranch } from "./repo.js";

export const GROVE_REF_PREFIX = "refs/grove/";
export const ARCHIVE_REF_PREFIX = "refs/grove/archive/";

/**
 * Points `refs/grove/archive/<taskId>` at the branch's tip, checks that it does, then deletes the
 * branch (only if it still points at that tip). Refuses while the branch is checked out in a
 * worktree. Never overwrites an archive ref that points elsewhere: another grove home (its own
 * task numbers) may have archived a task with the same id in this repository, so the tip goes to
 * the first free one of `<taskId>-2`, `<taskId>-3`, … instead.
 */
export async function archiveBranch(
  repo: string,
  branch: string,
  taskId: string,
): Promise<{ ref: string; commit: string }> {
  await assertRefFormat(`${ARCHIVE_REF_PREFIX}${taskId}`);
  const commit = await resolveCommit(repo, `refs/heads/${branch}`);
  const checkedOut = await worktreeForBranch(repo, branch);
  if (checkedOut !== undefined)
    throw new Error(
      `Branch "${branch}" is checked out in ${checkedOut}; remove that worktree before archiving`,
    );
  const ref = await writeArchiveRef(repo, branch, taskId, commit);
  if ((await resolveCommit(repo, ref)) !== commit)
    throw new Error(`Could not verify ${ref} after writing it`);
  await git(repo, ["update-ref", "-d", `refs/heads/${branch}`, commit]);
  await git(repo, ["config", "--remove-section", `branch.${branch}`]).catch(() => undefined);
  return { ref, commit };
}

/** The archive ref now holding `commit`: one that already did (a retried discard), or a new one. */
async function writeArchiveRef(
  repo: string,
  branch: string,
  taskId: string,
  commit: string,
): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const ref = `${ARCHIVE_REF_PREFIX}${taskId}${n === 1 ? "" : `-${n}`}`;
    const existing = await resolveCommit(repo, ref).catch(() => undefined);
    if (existing === commit) return ref;
    if (existing !== undefined) continue;
    try {
      // The empty old value makes git refuse if the ref appeared meanwhile.
      await git(repo, ["update-ref", "-m", `grove: archive ${branch}`, ref, commit, ""]);
      return ref;
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
    }
  }
  throw new Error(`${ARCHIVE_REF_PREFIX}${taskId} and its next 998 alternatives are all taken`);
}

/** Deletes one ref under refs/grove/ (and refuses any other ref), only while it points at `commit`. */
export async function deleteGroveRef(repo: string, ref: string, commit: string): Promise<void> {
  if (!ref.startsWith(GROVE_REF_PREFIX) || ref.length === GROVE_REF_PREFIX.length)
    throw new Error(`Refusing to delete "${ref}": only refs under ${GROVE_REF_PREFIX} are grove's`);
  await assertRefFormat(ref);
  await git(repo, ["update-ref", "-d", ref, commit]);
}

async function assertRefFormat(ref: string): Promise<void> {
  try {
    await git(process.cwd(), ["check-ref-format", ref]);
  } catch (error) {
    if (error instanceof GitError) throw new Error(`"${ref}" is not a valid ref name`);
    throw error;
  }
}
