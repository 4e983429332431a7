import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { git } from "../../node/git-exec.js";
import { type LandOptions, landBranch } from "./land.js";
import { createScratchRepo, type ScratchRepo } from "./scratch-repo.js";

let s: ScratchRepo;
beforeEach(async () => {
  s = await createScratchRepo();
  await s.commit(s.repo, "shared.txt", "one\ntwo\nthree\n");
});
afterEach(() => s.remove());

function options(id: string, worktree: string, extra: Partial<LandOptions> = {}): LandOptions {
  return {
    repo: s.repo,
    worktree,
    branch: `grove/${id}`,
    base: "main",
    taskId: id,
    strategy: "rebase",
    message: `Land ${id}`,
    ...extra,
  };
}

/** Everything that must not change when a landing is refused or conflicts. */
async function snapshot(worktree: string) {
  return {
    main: await s.head(s.repo, "refs/heads/main"),
    task: await s.head(worktree),
    taskStatus: await git(worktree, ["status", "--porcelain=v2", "--branch"]),
    mainStatus: await git(s.repo, ["status", "--porcelain=v2", "--branch"]),
  };
}

const parents = async (rev: string) =>
  (await git(s.repo, ["rev-list", "--parents", "-n", "1", rev])).trim().split(" ").slice(1);
const message = async (rev: string) => (await git(s.repo, ["log", "-1", "--format=%s", rev])).trim();

describe("landBranch", () => {
  it("rebases onto the moved base, advances it, and updates the checked-out main worktree", async () => {
    const wt = await s.task("t1", { "feature.txt": "feature\n", "more.txt": "more\n" });
    const oldTip = await s.head(wt);
    const userCommit = await s.commit(s.repo, "user.txt", "user work\n");
    const steps: string[] = [];
    const result = await landBranch(
      options("t1", wt, {
        onProgress: (step) => steps.push(step),
        onBackup: (ref, commit) => steps.push(`backup ${ref} ${commit}`),
      }),
    );
    if (result.kind !== "landed") throw new Error(JSON.stringify(result));
    expect(steps).toEqual(["lock", `backup ${result.backupRef} ${oldTip}`, "rebase", "advance"]);
    expect(result.previousBase).toBe(userCommit);
    expect(await s.head(s.repo, "refs/heads/main")).toBe(result.commit);
    expect(await s.head(wt)).toBe(result.commit);
    expect(readFileSync(join(s.repo, "feature.txt"), "utf8")).toBe("feature\n");
    expect(await git(s.repo, ["status", "--porcelain"])).toBe("");
    expect(await git(s.repo, ["rev-list", "--merges", "main"])).toBe("");
    expect(await git(s.repo, ["rev-list", "--count", `${userCommit}..main`])).toBe("2\n");
    expect(result.backupRef).toMatch(/^refs\/grove\/backup\/t1\/\d+$/);
    expect(await s.head(s.repo, result.backupRef)).toBe(oldTip);
  });

  it("merge: lands a --no-ff merge commit whose first parent is the old base", async () => {
    const wt = await s.task("m1", { "feature.txt": "feature\n" });
    const taskTip = await s.head(wt);
    const userCommit = await s.commit(s.repo, "user.txt", "user\n");
    const result = await landBranch(options("m1", wt, { strategy: "merge", message: "Merge task m1" }));
    if (result.kind !== "landed") throw new Error(JSON.stringify(result));
    expect(await parents(result.commit)).toEqual([userCommit, taskTip]);
    expect(await message(result.commit)).toBe("Merge task m1");
    expect(await s.head(s.repo, "refs/heads/main")).toBe(result.commit);
    expect(readFileSync(join(s.repo, "feature.txt"), "utf8")).toBe("feature\n");
    expect(readFileSync(join(s.repo, "user.txt"), "utf8")).toBe("user\n");

    // The base has not moved since the next task branched: still a merge commit, not a fast-forward.
    const wt2 = await s.task("m2", { "second.txt": "2\n" });
    const second = await landBranch(options("m2", wt2, { strategy: "merge", message: "Merge task m2" }));
    if (second.kind !== "landed") throw new Error(JSON.stringify(second));
    expect(await parents(second.commit)).toEqual([result.commit, await s.head(s.repo, "grove/m2^2")]);
    expect(await git(s.repo, ["log", "--first-parent", "--format=%s", "-2", "main"])).toBe(
      "Merge task m2\nMerge task m1\n",
    );
  });

  it("squash: lands a single commit with the message on top of the base", async () => {
    const wt = await s.task("s1", { "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" });
    const userCommit = await s.commit(s.repo, "user.txt", "user\n");
    const steps: string[] = [];
    const result = await landBranch(
      options("s1", wt, { strategy: "squash", message: "Add a, b and c", onProgress: (x) => steps.push(x) }),
    );
    if (result.kind !== "landed") throw new Error(JSON.stringify(result));
    expect(steps).toEqual(["lock", "squash", "advance"]);
    expect(await parents(result.commit)).toEqual([userCommit]);
    expect(await message(result.commit)).toBe("Add a, b and c");
    expect(await git(s.repo, ["diff", "--name-only", userCommit, result.commit])).toBe(
      "a.txt\nb.txt\nc.txt\n",
    );
    for (const file of ["a.txt", "b.txt", "c.txt", "user.txt"])
      expect(existsSync(join(s.repo, file))).toBe(true);
  });

  for (const strategy of ["rebase", "merge", "squash"] as const) {
    it(`${strategy}: a conflict is reported and aborted; base, task branch and worktree are unchanged`, async () => {
      const wt = await s.task(`c-${strategy}`, { "shared.txt": "one\nTASK\nthree\n", "other.txt": "x\n" });
      await s.commit(s.repo, "shared.txt", "one\nUSER\nthree\n");
      const before = await snapshot(wt);
      const result = await landBranch(options(`c-${strategy}`, wt, { strategy }));
      expect(result).toMatchObject({ kind: "conflict", files: ["shared.txt"] });
      expect(await snapshot(wt)).toEqual(before);
      expect(await git(wt, ["status", "--porcelain"])).toBe("");
      const backupRef = result.kind === "conflict" ? result.backupRef : undefined;
      expect(backupRef && (await s.head(s.repo, backupRef))).toBe(before.task);
    });
  }

  it("a failing test command leaves the base untouched and keeps the rebased branch", async () => {
    const wt = await s.task("f1", { "feature.txt": "feature\n" });
    const oldTip = await s.head(wt);
    const mainTip = await s.commit(s.repo, "user.txt", "user\n");
    const steps: string[] = [];
    const result = await landBranch(
      options("f1", wt, {
        test: {
          command: 'echo "testing $SUITE in $(basename "$PWD")"; echo boom >&2; exit 3',
          env: { SUITE: "unit" },
        },
        onProgress: (step) => steps.push(step),
      }),
    );
    if (result.kind !== "tests-failed") throw new Error(JSON.stringify(result));
    expect(steps).toEqual(["lock", "rebase", "test"]);
    expect(result.exitCode).toBe(3);
    expect(result.output).toContain("testing unit in f1");
    expect(result.output).toContain("boom");
    expect(await s.head(s.repo, "refs/heads/main")).toBe(mainTip);
    expect(await parents(await s.head(wt))).toEqual([mainTip]);
    expect(result.backupRef && (await s.head(s.repo, result.backupRef))).toBe(oldTip);
  });

  it("a passing test command runs in the task worktree with stdin closed", async () => {
    const wt = await s.task("p1", { "feature.txt": "feature\n" });
    const steps: string[] = [];
    const result = await landBranch(
      options("p1", wt, {
        test: { command: "test -f feature.txt && cat", timeoutMs: 20_000 },
        onProgress: (x) => steps.push(x),
      }),
    );
    expect(result.kind).toBe("landed");
    expect(steps).toEqual(["lock", "rebase", "test", "advance"]);
  });
});
