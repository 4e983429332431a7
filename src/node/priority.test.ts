import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { getPriority } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { autogroupNice, BACKGROUND_NICE, backgroundNice, lowerPriority } from "./priority.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

function sleeper(): ChildProcess {
  // Detached, like an agent wrapper: its own session (and autogroup, where the kernel has them).
  const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
  children.push(child);
  return child;
}

async function waitFor(check: () => boolean, timeoutMs = 3_000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe("background priority", () => {
  it("lowers a detached child's nice value, and its session's where the kernel groups sessions", async () => {
    const child = sleeper();
    await new Promise((resolve) => child.once("spawn", resolve));
    const nice = Math.min(19, Math.max(7, getPriority() + 1)); // Lower than this process, whatever it runs at.
    lowerPriority(child, nice);
    expect(getPriority(child.pid!)).toBe(nice);
    if (autogroupNice(child.pid!) !== undefined) {
      // The kernel takes one autogroup change per 100 ms system-wide (without CAP_SYS_ADMIN): retried.
      expect(await waitFor(() => autogroupNice(child.pid!) === nice)).toBe(true);
    } else {
      expect(existsSync(`/proc/${child.pid}/autogroup`)).toBe(false);
    }
  });

  it("leaves a child alone at nice 0", async () => {
    const child = sleeper();
    await new Promise((resolve) => child.once("spawn", resolve));
    lowerPriority(child, 0);
    expect(getPriority(child.pid!)).toBe(getPriority());
  });

  it("reads GROVE_AGENT_NICE, falling back to the default on nonsense", () => {
    expect(backgroundNice({})).toBe(BACKGROUND_NICE);
    expect(backgroundNice({ GROVE_AGENT_NICE: "0" })).toBe(0);
    expect(backgroundNice({ GROVE_AGENT_NICE: " 5 " })).toBe(5);
    for (const raw of ["", "-1", "20", "1.5", "low"])
      expect(backgroundNice({ GROVE_AGENT_NICE: raw }), raw).toBe(BACKGROUND_NICE);
  });
});
