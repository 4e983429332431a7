import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { git } from "../../node/git-exec.js";
import { changedFiles, diffAgainstBase } from "./diff.js";
import { createScratchRepo, type ScratchRepo } from "./scratch-repo.js";
import { createWorktree } from "./worktree.js";

let s: ScratchRepo;
beforeEach(async () => {
  s = await createScratchRepo();
});
afterEach(() => s.remove());

describe("diffAgainstBase", () => {
  it("shows only the branch's own changes, not what landed on the base since", async () => {
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });
    await s.commit(path, "feature.txt", "feature\n");
    await s.commit(path, "README.md", "# scratch\nmore\n");
    await s.commit(s.repo, "user.txt", "user\n");
    await git(s.repo, ["tag", "grove/task"]);

    const diff = await diffAgainstBase(s.repo, "grove/task", "main");
    expect(diff).toContain("+feature");
    expect(diff).toContain("+more");
    expect(diff).not.toContain("user.txt");
    const stat = await diffAgainstBase(s.repo, "grove/task", "main", { stat: true });
    expect(stat).toMatch(/2 files changed, 2 insertions/);
    expect(await changedFiles(s.repo, "grove/task", "main")).toEqual(["README.md", "feature.txt"]);
  });

  it("fails clearly for unknown names", async () => {
    await expect(diffAgainstBase(s.repo, "nope", "main")).rejects.toThrow(/does not name a commit/);
  });
});
