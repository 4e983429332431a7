import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { git } from "../../node/git-exec.js";
import { archiveBranch, deleteGroveRef, listGroveRefs } from "./archive.js";
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

  it("refuses while the branch is checked out, and never overwrites a different archive", async () => {
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });
    await expect(archiveBranch(s.repo, "grove/task", "t")).rejects.toThrow(/checked out in/);
    await removeWorktree(s.repo, path);
    await git(s.repo, ["update-ref", "refs/grove/archive/t", (await s.commit(s.repo, "x", "x")).trim()]);
    await expect(archiveBranch(s.repo, "grove/task", "t")).rejects.toThrow(/already exists/);
    expect(await branchExists(s.repo, "grove/task")).toBe(true);
    await expect(archiveBranch(s.repo, "grove/task", "bad..id")).rejects.toThrow(/not a valid ref/);
    await expect(archiveBranch(s.repo, "nope", "n")).rejects.toThrow(/does not name a commit/);
  });
});

describe("listGroveRefs / deleteGroveRef", () => {
  it("lists archive and backup refs with their task ids and deletes only grove refs", async () => {
    const head = await s.head(s.repo);
    await git(s.repo, ["update-ref", "refs/grove/archive/t1", head]);
    await git(s.repo, ["update-ref", "refs/grove/backup/t2/1700000000000", head]);
    await git(s.repo, ["update-ref", "refs/grove/backup/team/t3/1700000000001", head]);
    await git(s.repo, ["update-ref", "refs/grove/other/x", head]);
    expect(await listGroveRefs(s.repo)).toEqual([
      { ref: "refs/grove/archive/t1", commit: head, kind: "archive", taskId: "t1" },
      { ref: "refs/grove/backup/t2/1700000000000", commit: head, kind: "backup", taskId: "t2" },
      { ref: "refs/grove/backup/team/t3/1700000000001", commit: head, kind: "backup", taskId: "team/t3" },
    ]);
    await deleteGroveRef(s.repo, "refs/grove/archive/t1");
    expect((await listGroveRefs(s.repo)).map((r) => r.ref)).not.toContain("refs/grove/archive/t1");
    await expect(deleteGroveRef(s.repo, "refs/heads/main")).rejects.toThrow(/Refusing/);
    await expect(deleteGroveRef(s.repo, "refs/grove/")).rejects.toThrow(/Refusing/);
    await expect(deleteGroveRef(s.repo, "refs/grove/../heads/main")).rejects.toThrow(/not a valid ref/);
    expect(await branchExists(s.repo, "main")).toBe(true);
  });
});
