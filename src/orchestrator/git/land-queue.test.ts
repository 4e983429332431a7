import { existsSync } from "node:fs";
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
const groveRefs = () => git(s.repo, ["for-each-ref", "--format=%(refname)", "refs/grove/"]);
const message = async (rev: string) => (await git(s.repo, ["log", "-1", "--format=%s", rev])).trim();

describe("landBranch: serialization and refusals", () => {
  it("serializes concurrent landings: both land, the second rebased on the first", async () => {
    const a = await s.task("a", { "a.txt": "a\n" });
    const b = await s.task("b", { "b.txt": "b\n" });
    const events: string[] = [];
    const land = (id: string, wt: string) =>
      landBranch(
        options(id, wt, {
          test: { command: "sleep 0.2" },
          onProgress: (step) => events.push(`${id}:${step}`),
        }),
      ).then((result) => {
        events.push(`${id}:done`);
        return result;
      });
    const [ra, rb] = await Promise.all([land("a", a), land("b", b)]);
    if (ra.kind !== "landed" || rb.kind !== "landed") throw new Error(JSON.stringify([ra, rb]));

    const locks = events.filter((event) => event.endsWith(":lock"));
    expect(locks).toHaveLength(2);
    const first = locks[0]!.split(":")[0]!;
    const second = first === "a" ? "b" : "a";
    const firstSection = events.filter((event) => event.startsWith(`${first}:`));
    expect(firstSection).toEqual([
      `${first}:lock`,
      `${first}:rebase`,
      `${first}:test`,
      `${first}:advance`,
      `${first}:done`,
    ]);
    // Nothing of the second landing happens between the first's lock and the first's completion.
    expect(events.slice(0, firstSection.length)).toEqual(firstSection);
    expect(events.indexOf(`${second}:lock`)).toBeGreaterThan(events.indexOf(`${first}:done`));

    const [firstResult, secondResult] = first === "a" ? [ra, rb] : [rb, ra];
    expect(secondResult.previousBase).toBe(firstResult.commit);
    expect(await parents(secondResult.commit)).toEqual([firstResult.commit]);
    expect(await s.head(s.repo, "refs/heads/main")).toBe(secondResult.commit);
    expect(existsSync(join(s.repo, "a.txt")) && existsSync(join(s.repo, "b.txt"))).toBe(true);
    expect(existsSync(join(s.repo, ".git", "grove-land.lock"))).toBe(false);
  });

  it("refuses when the checked-out base worktree is dirty, changing nothing", async () => {
    const wt = await s.task("d1", { "feature.txt": "feature\n" });
    s.write(s.repo, "README.md", "uncommitted edit\n");
    const before = await snapshot(wt);
    const steps: string[] = [];
    const result = await landBranch(options("d1", wt, { onProgress: (x) => steps.push(x) }));
    if (result.kind !== "refused") throw new Error(JSON.stringify(result));
    expect(result.reason).toContain(s.repo);
    expect(result.reason).toMatch(/commit or stash/);
    expect(steps).toEqual(["lock"]);
    expect(await snapshot(wt)).toEqual(before);
    expect(await groveRefs()).toBe("");
  });

  it("refuses a dirty task worktree, a missing base, a branch with nothing to land, and a bad task id", async () => {
    const wt = await s.task("r1", { "feature.txt": "feature\n" });
    s.write(wt, "stray.txt", "untracked\n");
    expect(await landBranch(options("r1", wt))).toMatchObject({
      kind: "refused",
      reason: /uncommitted changes/,
    });
    await git(wt, ["clean", "-fq"]);
    expect(await landBranch(options("r1", wt, { base: "nope" }))).toMatchObject({
      kind: "refused",
      reason: /"nope" does not exist/,
    });
    const empty = await s.task("r2", {});
    expect(await landBranch(options("r2", empty))).toMatchObject({
      kind: "refused",
      reason: /Nothing to land/,
    });
    expect(await landBranch(options("r1", wt, { taskId: "bad..id" }))).toMatchObject({ kind: "refused" });
    expect(await landBranch(options("r1", wt, { branch: "grove/r2" }))).toMatchObject({
      kind: "refused",
      reason: /does not have "grove\/r2" checked out/,
    });
    expect(await groveRefs()).toBe("");
  });

  for (const strategy of ["rebase", "merge", "squash"] as const) {
    it(`${strategy}: refuses when the branch's changes are already on the base, restoring the branch`, async () => {
      const wt = await s.task(`dup-${strategy}`, { "same.txt": "same\n" });
      const before = await s.head(wt);
      await s.commit(s.repo, "same.txt", "same\n");
      const result = await landBranch(options(`dup-${strategy}`, wt, { strategy }));
      expect(result).toMatchObject({ kind: "refused", reason: /already on "main"/ });
      expect(await s.head(wt)).toBe(before);
      expect(await git(wt, ["status", "--porcelain"])).toBe("");
      expect(await groveRefs()).toBe("");
    });
  }

  it("advances a base that is not checked out anywhere with a compare-and-swap", async () => {
    const wt = await s.task("u1", { "feature.txt": "feature\n" });
    await git(s.repo, ["checkout", "-q", "--detach"]);
    const result = await landBranch(options("u1", wt));
    if (result.kind !== "landed") throw new Error(JSON.stringify(result));
    expect(await s.head(s.repo, "refs/heads/main")).toBe(result.commit);
    expect(existsSync(join(s.repo, "feature.txt"))).toBe(false);
  });

  for (const checkedOut of [true, false]) {
    it(`refuses when the base moves during the landing (base ${checkedOut ? "checked out" : "not checked out"})`, async () => {
      const wt = await s.task("x1", { "feature.txt": "feature\n" });
      if (!checkedOut) await git(s.repo, ["checkout", "-q", "--detach"]);
      const command = checkedOut
        ? 'git -C "$MAIN" commit -q --allow-empty -m sneaky'
        : 'git -C "$MAIN" update-ref refs/heads/main "$(git -C "$MAIN" commit-tree -p main -m sneaky main^{tree})"';
      const result = await landBranch(options("x1", wt, { test: { command, env: { MAIN: s.repo } } }));
      if (result.kind !== "refused") throw new Error(JSON.stringify(result));
      expect(result.reason).toMatch(/moved during the landing/);
      expect(await message("main")).toBe("sneaky");
      expect(existsSync(join(s.repo, "feature.txt"))).toBe(false);
    });
  }
});
