import { spawn } from "node:child_process";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LAND_LOCK_FILE, LandLockTimeoutError, withLandLock } from "./land-lock.js";
import { createScratchRepo, type ScratchRepo } from "./scratch-repo.js";

let s: ScratchRepo;
let lockPath: string;
beforeEach(async () => {
  s = await createScratchRepo();
  lockPath = join(s.repo, ".git", LAND_LOCK_FILE);
});
afterEach(() => s.remove());

function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", () => resolve(child.pid!));
  });
}

describe("withLandLock", () => {
  it("writes the holder's pid into the lock file and removes it afterwards", async () => {
    const seen = await withLandLock(s.repo, { taskId: "t1" }, async () =>
      JSON.parse(readFileSync(lockPath, "utf8")),
    );
    expect(seen).toMatchObject({ pid: process.pid, taskId: "t1" });
    expect(existsSync(lockPath)).toBe(false);
  });

  it("releases the lock when the body throws", async () => {
    await expect(withLandLock(s.repo, {}, async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(existsSync(lockPath)).toBe(false);
  });

  it("takes over a lock left by a dead process", async () => {
    writeFileSync(lockPath, JSON.stringify({ pid: await deadPid(), host: hostname(), token: "old" }));
    expect(await withLandLock(s.repo, { timeoutMs: 20_000 }, async () => "ran")).toBe("ran");
    expect(existsSync(lockPath)).toBe(false);
  });

  it("takes over an unreadable lock once it is old", async () => {
    writeFileSync(lockPath, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath, old, old);
    expect(await withLandLock(s.repo, { timeoutMs: 20_000 }, async () => "ran")).toBe("ran");
  });

  it("waits for a live holder and gives up after the timeout, leaving its lock alone", async () => {
    const held = JSON.stringify({
      pid: process.pid,
      host: hostname(),
      token: "someone-else",
      taskId: "busy",
    });
    writeFileSync(lockPath, held);
    let ran = false;
    const attempt = withLandLock(s.repo, { timeoutMs: 200, pollMs: 20 }, async () => {
      ran = true;
    });
    await expect(attempt).rejects.toBeInstanceOf(LandLockTimeoutError);
    await expect(attempt).rejects.toThrow(/landing task busy/);
    expect(ran).toBe(false);
    expect(readFileSync(lockPath, "utf8")).toBe(held);
  });

  it("lets waiters in one at a time", async () => {
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        withLandLock(s.repo, { pollMs: 5 }, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((resolve) => setTimeout(resolve, 20));
          order.push(n);
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(order.sort()).toEqual([1, 2, 3, 4]);
  });
});
