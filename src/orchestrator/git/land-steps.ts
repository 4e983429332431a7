/** The history-changing steps of a landing: integrating the base into a task branch, advancing the base. */
import { GitError, git } from "../../node/git-exec.js";
import { currentBranch, isClean, resolveCommit, worktreeForBranch } from "./repo.js";

export type Strategy = "rebase" | "merge" | "squash";

export type IntegrateResult = { kind: "integrated"; tip: string } | { kind: "conflict"; files: string[] };

/** Never prompt, never open an editor, never stash behind our back. */
const env = (): NodeJS.ProcessEnv => ({ ...process.env, GIT_EDITOR: "true", GIT_TERMINAL_PROMPT: "0" });
const QUIET_CONFIG = [
  "-c",
  "rebase.autoStash=false",
  "-c",
  "rebase.updateRefs=false",
  "-c",
  "merge.autoStash=false",
];

/**
 * Brings `baseTip` into the branch checked out (cleanly) in `worktree`:
 * - rebase: `git rebase <baseTip>`;
 * - merge: `git merge --no-ff <baseTip>`, recorded as a merge commit whose first parent is the
 *   base (so the base's first-parent history shows one commit per landing) and second the task;
 * - squash: rebase, then one commit with `message` whose parent is `baseTip`.
 * On conflict the operation is aborted, leaving the branch and worktree exactly as before.
 */
export async function integrate(
  worktree: string,
  strategy: Strategy,
  baseTip: string,
  message: string,
): Promise<IntegrateResult> {
  const taskTip = await resolveCommit(worktree, "HEAD");
  if (strategy === "merge") {
    if (!(await isAncestor(worktree, baseTip, taskTip))) {
      const merged = await attempt(
        worktree,
        ["merge", "--no-ff", "--no-edit", "-m", message, baseTip],
        "merge",
      );
      if (merged) return merged;
    }
    return { kind: "integrated", tip: await replaceHead(worktree, [baseTip, taskTip], message) };
  }
  const rebased = await attempt(worktree, ["rebase", "--quiet", baseTip], "rebase");
  if (rebased) return rebased;
  if (strategy === "rebase") return { kind: "integrated", tip: await resolveCommit(worktree, "HEAD") };
  return { kind: "integrated", tip: await replaceHead(worktree, [baseTip], message) };
}

/** Runs a merge or rebase; on failure aborts it and returns the conflict (or rethrows other errors). */
async function attempt(
  worktree: string,
  args: string[],
  operation: "merge" | "rebase",
): Promise<IntegrateResult | undefined> {
  try {
    await git(worktree, [...QUIET_CONFIG, ...args], env());
    return undefined;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const files = (await git(worktree, ["diff", "--name-only", "-z", "--diff-filter=U"]).catch(() => ""))
      .split("\0")
      .filter((file) => file !== "");
    await git(worktree, [operation, "--abort"], env()).catch(() => undefined);
    if (files.length > 0) return { kind: "conflict", files };
    throw error;
  }
}

/** Makes HEAD a new commit with HEAD's tree, the given parents and `message` (the worktree is unchanged). */
async function replaceHead(worktree: string, parents: string[], message: string): Promise<string> {
  const tree = (await git(worktree, ["rev-parse", "HEAD^{tree}"])).trim();
  const parentArgs = parents.flatMap((parent) => ["-p", parent]);
  const commit = (await git(worktree, ["commit-tree", tree, ...parentArgs, "-m", message], env())).trim();
  await git(worktree, ["reset", "--soft", commit]);
  return commit;
}

export async function isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await git(repo, ["merge-base", "--is-ancestor", ancestor, descendant]);
    return true;
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 1) return false;
    throw error;
  }
}

export async function sameTree(repo: string, a: string, b: string): Promise<boolean> {
  const [treeA, treeB] = await Promise.all([
    git(repo, ["rev-parse", `${a}^{tree}`]),
    git(repo, ["rev-parse", `${b}^{tree}`]),
  ]);
  return treeA.trim() === treeB.trim();
}

/**
 * Moves `base` from `oldTip` to `newTip` (a descendant), or explains why not. When the base is
 * checked out in a worktree, that worktree is fast-forwarded so its files follow; otherwise the
 * ref is compare-and-swapped.
 */
export async function advanceBase(
  repo: string,
  base: string,
  oldTip: string,
  newTip: string,
  reflogMessage: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const current = await resolveCommit(repo, `refs/heads/${base}`);
  if (current !== oldTip) return { ok: false, reason: movedReason(base, oldTip, current) };
  const checkedOut = await worktreeForBranch(repo, base);
  if (checkedOut === undefined) {
    try {
      await git(repo, ["update-ref", "-m", reflogMessage, `refs/heads/${base}`, newTip, oldTip]);
      return { ok: true };
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      const now = await resolveCommit(repo, `refs/heads/${base}`).catch(() => "(unknown)");
      return { ok: false, reason: `${movedReason(base, oldTip, now)} (${error.stderr.trim()})` };
    }
  }
  if (!(await isClean(checkedOut)))
    return {
      ok: false,
      reason: `The base branch "${base}" is checked out in ${checkedOut}, which now has uncommitted changes; commit or stash them first, then land again`,
    };
  if ((await currentBranch(checkedOut)) !== base || (await resolveCommit(checkedOut, "HEAD")) !== oldTip)
    return { ok: false, reason: `The worktree ${checkedOut} changed while landing; land again` };
  try {
    await git(checkedOut, ["merge", "--ff-only", "--quiet", newTip], env());
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    return {
      ok: false,
      reason: `Could not fast-forward "${base}" in ${checkedOut}: ${error.stderr.trim() || error.message}`,
    };
  }
  const landed = await resolveCommit(repo, `refs/heads/${base}`);
  if (landed !== newTip) return { ok: false, reason: movedReason(base, newTip, landed) };
  return { ok: true };
}

function movedReason(base: string, expected: string, actual: string): string {
  return `The base branch "${base}" moved during the landing (expected ${expected.slice(0, 12)}, found ${actual.slice(0, 12)}); land again`;
}
