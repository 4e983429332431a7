/** What a task branch changed relative to the point where it left its base. */
import { git } from "../../node/git-exec.js";
import { branchExists, resolveCommit } from "./repo.js";

/** `git diff <merge-base> <branch>` (with `--stat` when asked): the branch's own changes. */
export async function diffAgainstBase(
  repo: string,
  branch: string,
  base: string,
  options: { stat?: boolean } = {},
): Promise<string> {
  const { mergeBase, tip } = await endpoints(repo, branch, base);
  return git(repo, [
    "diff",
    "--no-color",
    "--no-ext-diff",
    ...(options.stat ? ["--stat"] : []),
    mergeBase,
    tip,
    "--",
  ]);
}

/** The paths the branch changed relative to its merge-base with `base` (new names for renames). */
export async function changedFiles(repo: string, branch: string, base: string): Promise<string[]> {
  const { mergeBase, tip } = await endpoints(repo, branch, base);
  const out = await git(repo, ["diff", "--name-only", "-z", "--no-ext-diff", mergeBase, tip, "--"]);
  return out.split("\0").filter((file) => file !== "");
}

async function endpoints(
  repo: string,
  branch: string,
  base: string,
): Promise<{ mergeBase: string; tip: string }> {
  const [tip, baseTip] = await Promise.all([commitOf(repo, branch), commitOf(repo, base)]);
  const mergeBase = (await git(repo, ["merge-base", baseTip, tip]).catch(() => "")).trim();
  if (mergeBase === "") throw new Error(`"${branch}" and "${base}" have no common history`);
  return { mergeBase, tip };
}

/** A branch name means that branch (even if a tag shares its name); anything else is a revision. */
async function commitOf(repo: string, name: string): Promise<string> {
  return resolveCommit(repo, (await branchExists(repo, name)) ? `refs/heads/${name}` : name);
}
