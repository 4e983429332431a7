import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { git } from "../../node/git-exec.js";
import { branchExists, currentBranch, worktreeForBranch } from "./repo.js";
import { createScratchRepo, type ScratchRepo } from "./scratch-repo.js";
import { copyIntoWorktree, createWorktree, removeWorktree } from "./worktree.js";

let s: ScratchRepo;
beforeEach(async () => {
  s = await createScratchRepo();
});
afterEach(() => s.remove());

describe("createWorktree / removeWorktree", () => {
  it("creates a worktree on a new branch at the base's current tip, creating parent directories", async () => {
    const tip = await s.commit(s.repo, "a.txt", "a\n");
    const path = join(s.root, "trees/deep/task-1");
    const { baseCommit } = await createWorktree({ repo: s.repo, path, branch: "grove/task-1", base: "main" });
    expect(baseCommit).toBe(tip);
    expect(await currentBranch(path)).toBe("grove/task-1");
    expect(await s.head(path)).toBe(tip);
    expect(readFileSync(join(path, "a.txt"), "utf8")).toBe("a\n");
  });

  it("fails clearly when the branch or the path already exists", async () => {
    await git(s.repo, ["branch", "taken"]);
    await expect(
      createWorktree({ repo: s.repo, path: join(s.root, "w1"), branch: "taken", base: "main" }),
    ).rejects.toThrow(/Branch "taken" already exists/);
    mkdirSync(join(s.root, "w2"));
    await expect(
      createWorktree({ repo: s.repo, path: join(s.root, "w2"), branch: "fresh", base: "main" }),
    ).rejects.toThrow(/already exists/);
    expect(await branchExists(s.repo, "fresh")).toBe(false);
    await expect(
      createWorktree({ repo: s.repo, path: join(s.root, "w3"), branch: "bad..name", base: "main" }),
    ).rejects.toThrow(/not a valid branch name/);
    await expect(
      createWorktree({ repo: s.repo, path: join(s.root, "w4"), branch: "ok", base: "no-such-base" }),
    ).rejects.toThrow(/does not name a commit/);
  });

  it("adds side by side calls one at a time, in order, with the same errors when they collide", async () => {
    const tip = await s.commit(s.repo, "a.txt", "a\n");
    const made = await Promise.allSettled([
      ...Array.from({ length: 4 }, (_, i) =>
        createWorktree({ repo: s.repo, path: join(s.root, `p${i}`), branch: `grove/p${i}`, base: "main" }),
      ),
      createWorktree({ repo: s.repo, path: join(s.root, "p9"), branch: "grove/p0", base: "main" }),
      createWorktree({ repo: s.repo, path: join(s.root, "p0"), branch: "grove/other", base: "main" }),
    ]);
    expect(made.slice(0, 4).map((result) => result.status)).toEqual(Array(4).fill("fulfilled"));
    for (let i = 0; i < 4; i++) expect(await s.head(join(s.root, `p${i}`))).toBe(tip);
    expect(made[4]).toMatchObject({
      status: "rejected",
      reason: { message: expect.stringMatching(/Branch "grove\/p0" already exists/) },
    });
    expect(made[5]).toMatchObject({
      status: "rejected",
      reason: { message: expect.stringMatching(/the path already exists/) },
    });
    expect(await branchExists(s.repo, "grove/other")).toBe(false);
  });

  it("removes the worktree but keeps its branch and commits", async () => {
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });
    const work = await s.commit(path, "work.txt", "precious\n");
    await removeWorktree(s.repo, path);
    expect(existsSync(path)).toBe(false);
    expect(await worktreeForBranch(s.repo, "grove/task")).toBeUndefined();
    expect(await s.head(s.repo, "refs/heads/grove/task")).toBe(work);
  });

  it("refuses to remove a dirty worktree unless forced, and prunes a deleted one", async () => {
    const path = join(s.root, "dirty");
    await createWorktree({ repo: s.repo, path, branch: "grove/dirty", base: "main" });
    s.write(path, "scratch.txt", "x");
    await expect(removeWorktree(s.repo, path)).rejects.toThrow(/untracked|modified/);
    expect(existsSync(path)).toBe(true);
    await removeWorktree(s.repo, path, { force: true });
    expect(existsSync(path)).toBe(false);
    expect(await branchExists(s.repo, "grove/dirty")).toBe(true);

    const gone = join(s.root, "gone");
    await createWorktree({ repo: s.repo, path: gone, branch: "grove/gone", base: "main" });
    rmSync(gone, { recursive: true, force: true });
    await removeWorktree(s.repo, gone);
    expect(await git(s.repo, ["worktree", "list"])).not.toContain(gone);
    expect(await branchExists(s.repo, "grove/gone")).toBe(true);
  });
});

describe("copyIntoWorktree", () => {
  it("copies untracked and ignored local files, preserving paths and skipping tracked or missing ones", async () => {
    await s.commit(s.repo, ".gitignore", ".env\n.env.local\nconfig/*.local.json\nnode_modules/\n");
    await s.commit(s.repo, "config/app.json", "{}\n");
    s.write(s.repo, ".env", "SECRET=1\n");
    s.write(s.repo, ".env.local", "LOCAL=1\n");
    s.write(s.repo, "config/db.local.json", '{"db":1}\n');
    s.write(s.repo, "config/nested/deep.local.json", "{}\n");
    s.write(s.repo, "node_modules/pkg/.env", "NOPE\n");
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });

    const copied = await copyIntoWorktree(s.repo, path, [".env", ".env.*", "config/*.json", "missing.txt"]);
    expect(copied).toEqual([".env", ".env.local", "config/db.local.json"]);
    expect(readFileSync(join(path, ".env"), "utf8")).toBe("SECRET=1\n");
    expect(readFileSync(join(path, "config/db.local.json"), "utf8")).toBe('{"db":1}\n');
    expect(existsSync(join(path, "config/nested/deep.local.json"))).toBe(false);

    expect(await copyIntoWorktree(s.repo, path, ["**/*.local.json", "**/.env"])).toEqual([
      "config/nested/deep.local.json",
    ]);
    expect(existsSync(join(path, "node_modules"))).toBe(false);
  });

  it("copies a directory named by a pattern and does not overwrite existing files", async () => {
    s.write(s.repo, ".vscode/settings.json", "{}\n");
    s.write(s.repo, ".env", "MAIN\n");
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });
    s.write(path, ".env", "MINE\n");
    expect(await copyIntoWorktree(s.repo, path, [".vscode", ".env"])).toEqual([".vscode/settings.json"]);
    expect(readFileSync(join(path, ".env"), "utf8")).toBe("MINE\n");
  });

  it("does not search other worktrees nested inside the repository", async () => {
    s.write(s.repo, ".env", "MAIN\n");
    const nested = join(s.repo, ".grove/trees/other");
    await createWorktree({ repo: s.repo, path: nested, branch: "grove/other", base: "main" });
    s.write(nested, "leak.env", "OTHER\n");
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });
    expect(await copyIntoWorktree(s.repo, path, ["**/*.env", "**/.env"])).toEqual([".env"]);
  });

  it("follows a symlinked file", async () => {
    s.write(s.root, "shared.env", "SHARED\n");
    symlinkSync(join(s.root, "shared.env"), join(s.repo, ".env"));
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });
    expect(await copyIntoWorktree(s.repo, path, [".env*"])).toEqual([".env"]);
    expect(readFileSync(join(path, ".env"), "utf8")).toBe("SHARED\n");
  });

  it("refuses patterns that escape the repository before copying anything", async () => {
    s.write(s.repo, ".env", "x");
    const path = join(s.root, "task");
    await createWorktree({ repo: s.repo, path, branch: "grove/task", base: "main" });
    for (const bad of ["../secret", "/etc/passwd", "a/../../b", "..", ".", "", "C:\\x"])
      await expect(copyIntoWorktree(s.repo, path, [".env", bad]), bad).rejects.toThrow(
        /Refusing copy pattern/,
      );
    expect(existsSync(join(path, ".env"))).toBe(false);
  });
});
