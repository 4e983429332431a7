/** Archiving finished task branches under refs/grove/, so their commits stay reachable without a branch. */
import { GitError, git } from "../../node/git-exec.js";
import { resolveCommit, worktreeForBranch } from "./repo.js";

export const GROVE_REF_PREFIX = "refs/grove/";
export const ARCHIVE_REF_PREFIX = "refs/grove/archive/";
const BACKUP_PREFIX = "refs/grove/backup/";

export interface GroveRef {
  ref: string;
  commit: string;
  kind: "archive" | "backup";
  taskId: string;
}

/**
 * Points `refs/grove/archive/<taskId>` at the branch's tip, checks that it does, then deletes the
 * branch (only if it still points at that tip). Refuses while the branch is checked out in a
 * worktree, and never overwrites an archive ref that points elsewhere.
 */
export async function archiveBranch(
  repo: string,
  branch: string,
  taskId: string,
): Promise<{ ref: string; commit: string }> {
  const ref = `${ARCHIVE_REF_PREFIX}${taskId}`;
  await assertRefFormat(ref);
  const commit = await resolveCommit(repo, `refs/heads/${branch}`);
  const checkedOut = await worktreeForBranch(repo, branch);
  if (checkedOut !== undefined)
    throw new Error(
      `Branch "${branch}" is checked out in ${checkedOut}; remove that worktree before archiving`,
    );
  const existing = await resolveCommit(repo, ref).catch(() => undefined);
  if (existing === undefined)
    await git(repo, ["update-ref", "-m", `grove: archive ${branch}`, ref, commit, ""]);
  else if (existing !== commit)
    throw new Error(
      `${ref} already exists and points at ${existing}, not at the tip of "${branch}" (${commit})`,
    );
  if ((await resolveCommit(repo, ref)) !== commit)
    throw new Error(`Could not verify ${ref} after writing it`);
  await git(repo, ["update-ref", "-d", `refs/heads/${branch}`, commit]);
  await git(repo, ["config", "--remove-section", `branch.${branch}`]).catch(() => undefined);
  return { ref, commit };
}

/** Every archive and backup ref grove has written, sorted by ref name. */
export async function listGroveRefs(repo: string): Promise<GroveRef[]> {
  const out = await git(repo, ["for-each-ref", "--format=%(objectname) %(refname)", GROVE_REF_PREFIX]);
  const refs: GroveRef[] = [];
  for (const line of out.split("\n")) {
    const space = line.indexOf(" ");
    if (space < 0) continue;
    const commit = line.slice(0, space);
    const ref = line.slice(space + 1);
    if (ref.startsWith(ARCHIVE_REF_PREFIX)) {
      refs.push({ ref, commit, kind: "archive", taskId: ref.slice(ARCHIVE_REF_PREFIX.length) });
    } else if (ref.startsWith(BACKUP_PREFIX)) {
      const rest = ref.slice(BACKUP_PREFIX.length);
      const slash = rest.lastIndexOf("/");
      if (slash > 0) refs.push({ ref, commit, kind: "backup", taskId: rest.slice(0, slash) });
    }
  }
  return refs;
}

/** Deletes one ref under refs/grove/ (and refuses any other ref). */
export async function deleteGroveRef(repo: string, ref: string): Promise<void> {
  if (!ref.startsWith(GROVE_REF_PREFIX) || ref.length === GROVE_REF_PREFIX.length)
    throw new Error(`Refusing to delete "${ref}": only refs under ${GROVE_REF_PREFIX} are grove's`);
  await assertRefFormat(ref);
  await git(repo, ["update-ref", "-d", ref]);
}

async function assertRefFormat(ref: string): Promise<void> {
  try {
    await git(process.cwd(), ["check-ref-format", ref]);
  } catch (error) {
    if (error instanceof GitError) throw new Error(`"${ref}" is not a valid ref name`);
    throw error;
  }
}
