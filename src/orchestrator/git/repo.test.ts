import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { git } from "../../node/git-exec.js";
import {
  branchExists,
  currentBranch,
  findRepoRoot,
  gitCommonDir,
  isClean,
  resolveCommit,
  worktreeForBranch,
} from "./repo.js";
import { createScratchRepo, type ScratchRepo } from "./scratch-repo.js";

let s: ScratchRepo;
beforeEach(async () => {
  s = await createScratchRepo();
});
afterEach(() => s.remove());

describe("repo", () => {
  it("finds the main worktree's top level from a subdirectory and from a linked worktree", async () => {
    mkdirSync(join(s.repo, "a/b"), { recursive: true });
    expect(await findRepoRoot(join(s.repo, "a/b"))).toBe(s.repo);
    const linked = join(s.root, "linked");
    await git(s.repo, ["worktree", "add", "-q", "-b", "side", linked]);
    expect(await findRepoRoot(linked)).toBe(s.repo);
    expect(await gitCommonDir(linked)).toBe(join(s.repo, ".git"));
    expect(await gitCommonDir(s.repo)).toBe(join(s.repo, ".git"));
  });

  it("says clearly when a directory is not inside a repository", async () => {
    const outside = realpathSync(mkdtempSync(join(tmpdir(), "grove-nogit-")));
    try {
      await expect(findRepoRoot(outside)).rejects.toThrow(`${outside} is not inside a git repository`);
      await expect(findRepoRoot(join(outside, "missing"))).rejects.toThrow(/not inside a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("resolves commits and reports branches", async () => {
    const head = await s.head(s.repo);
    expect(await resolveCommit(s.repo, "main")).toBe(head);
    await expect(resolveCommit(s.repo, "nope")).rejects.toThrow(/does not name a commit/);
    await expect(resolveCommit(s.repo, "--all")).rejects.toThrow(/not a valid revision/);
    expect(await currentBranch(s.repo)).toBe("main");
    expect(await branchExists(s.repo, "main")).toBe(true);
    expect(await branchExists(s.repo, "nope")).toBe(false);
    await git(s.repo, ["checkout", "-q", "--detach"]);
    expect(await currentBranch(s.repo)).toBeUndefined();
  });

  it("sees staged, unstaged and untracked changes but not ignored files", async () => {
    expect(await isClean(s.repo)).toBe(true);
    await s.commit(s.repo, ".gitignore", "*.log\n");
    s.write(s.repo, "debug.log", "x");
    expect(await isClean(s.repo)).toBe(true);
    s.write(s.repo, "new.txt", "x");
    expect(await isClean(s.repo)).toBe(false);
    await git(s.repo, ["add", "new.txt"]);
    expect(await isClean(s.repo)).toBe(false);
    await git(s.repo, ["commit", "-qm", "new"]);
    s.write(s.repo, "README.md", "changed\n");
    expect(await isClean(s.repo)).toBe(false);
  });

  it("finds the worktree a branch is checked out in", async () => {
    const linked = join(s.root, "linked");
    await git(s.repo, ["worktree", "add", "-q", "-b", "side", linked]);
    expect(await worktreeForBranch(s.repo, "main")).toBe(s.repo);
    expect(await worktreeForBranch(linked, "side")).toBe(linked);
    await git(s.repo, ["branch", "loose"]);
    expect(await worktreeForBranch(s.repo, "loose")).toBeUndefined();
  });
});
