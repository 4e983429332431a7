import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { git } from "../../node/git-exec.js";
import { archiveBranch, deleteGroveRef } from "./archive.js";
import { branchExists } from "./repo.js";
import { createScratchRepo, type ScratchRepo } from "./scratch-repo.js";
import { createWorktree, removeWorktree } from "./worktree.js";

let s: ScratchRepo;
beforeEach(async () => {
  s = await createScratchRepo();
});
afterEach(() => s.remove());

describe("archiveBranch", () => {
  it("keeps the branch's commits reachable from refs/grove/archive/<id> after deleting the branch", async () => {
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });
    const tip = await s.commit(path, "work.txt", "unmerged work\n");
    await removeWorktree(s.repo, path);

    expect(await archiveBranch(s.repo, "grove/task", "task-1")).toEqual({
      ref: "refs/grove/archive/task-1",
      commit: tip,
    });
    expect(await branchExists(s.repo, "grove/task")).toBe(false);
    expect(await s.head(s.repo, "refs/grove/archive/task-1")).toBe(tip);
    expect(await git(s.repo, ["show", "refs/grove/archive/task-1:work.txt"])).toBe("unmerged work\n");
    await git(s.repo, ["gc", "-q", "--prune=now"]);
    expect(await git(s.repo, ["cat-file", "-t", tip])).toBe("commit\n");
  });

  it("refuses while the branch is checked out, and refuses bad ids and branches", async () => {
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });
    await expect(archiveBranch(s.repo, "grove/task", "t")).rejects.toThrow(/checked out in/);
    await removeWorktree(s.repo, path);
    expect(await branchExists(s.repo, "grove/task")).toBe(true);
    await expect(archiveBranch(s.repo, "grove/task", "bad..id")).rejects.toThrow(/not a valid ref/);
    await expect(archiveBranch(s.repo, "nope", "n")).rejects.toThrow(/does not name a commit/);
    expect(await branchExists(s.repo, "grove/task")).toBe(true);
  });

  it("never overwrites an archive that points elsewhere: the tip goes to the next free name", async () => {
    // Another grove home's task 7, archived in the same repository, and that home's task 7's second try.
    const theirs = await s.commit(s.repo, "theirs.txt", "theirs\n");
    const theirsAgain = await s.commit(s.repo, "theirs.txt", "theirs, again\n");
    await git(s.repo, ["update-ref", "refs/grove/archive/7", theirs]);
    await git(s.repo, ["update-ref", "refs/grove/archive/7-2", theirsAgain]);
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });
    const mine = await s.commit(path, "mine.txt", "mine\n");
    await removeWorktree(s.repo, path);

    expect(await archiveBranch(s.repo, "grove/task", "7")).toEqual({
      ref: "refs/grove/archive/7-3",
      commit: mine,
    });
    expect(await s.head(s.repo, "refs/grove/archive/7")).toBe(theirs);
    expect(await s.head(s.repo, "refs/grove/archive/7-2")).toBe(theirsAgain);
    expect(await branchExists(s.repo, "grove/task")).toBe(false);

    // A retried archive of the same tip (the branch is back) finds the ref that holds it.
    await git(s.repo, ["branch", "grove/task", mine]);
    expect(await archiveBranch(s.repo, "grove/task", "7")).toEqual({
      ref: "refs/grove/archive/7-3",
      commit: mine,
    });
    expect(await git(s.repo, ["for-each-ref", "--format=%(refname)", "refs/grove/archive/"])).toBe(
      "refs/grove/archive/7\nrefs/grove/archive/7-2\nrefs/grove/archive/7-3\n",
    );
  });
});

describe("deleteGroveRef", () => {
  it("deletes only grove refs, and only while they point at the commit given", async () => {
    const head = await s.head(s.repo);
    const other = await s.commit(s.repo, "other.txt", "other\n");
    await git(s.repo, ["update-ref", "refs/grove/archive/t1", head]);
    await git(s.repo, ["update-ref", "refs/grove/backup/t2/1700000000000", other]);
    await expect(deleteGroveRef(s.repo, "refs/grove/backup/t2/1700000000000", head)).rejects.toThrow();
    expect(await s.head(s.repo, "refs/grove/backup/t2/1700000000000")).toBe(other);
    await deleteGroveRef(s.repo, "refs/grove/archive/t1", head);
    expect(await git(s.repo, ["for-each-ref", "--format=%(refname)", "refs/grove/"])).toBe(
      "refs/grove/backup/t2/1700000000000\n",
    );
    await expect(deleteGroveRef(s.repo, "refs/heads/main", other)).rejects.toThrow(/Refusing/);
    await expect(deleteGroveRef(s.repo, "refs/grove/", other)).rejects.toThrow(/Refusing/);
    await expect(deleteGroveRef(s.repo, "refs/grove/../heads/main", other)).rejects.toThrow(
      /not a valid ref/,
    );
    expect(await branchExists(s.repo, "main")).toBe(true);
  });
});
