/** `grove demo`: three agents in parallel on a sample repository, then one change lands. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { disposeAll, git, grove, makeSandbox, readInfo, type Task } from "./harness.js";

afterEach(disposeAll);

describe("grove demo", () => {
  it("runs to completion in its own GROVE_HOME and lands a task", async () => {
    const sandbox = makeSandbox("grove-demo-");
    // TMPDIR keeps the demo's sample repository inside the sandbox too.
    const result = await grove(sandbox, ["demo"], { timeoutMs: 60_000, env: { TMPDIR: sandbox.root } });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const landed = /^grove demo · landed: main is now ([0-9a-f]{12})$/m.exec(result.stdout);
    expect(landed, result.stdout).not.toBeNull();
    const repo = /^grove demo · sample repository: (.+)$/m.exec(result.stdout)![1]!;
    expect(repo.startsWith(sandbox.root)).toBe(true);
    expect(readInfo(sandbox.home)).toBeDefined();
    expect(git(repo, ["rev-parse", "main"]).startsWith(landed![1]!)).toBe(true);
    expect(git(repo, ["show", "main:src/greet.js"])).toContain('name ?? "world"');
    const tasks = JSON.parse((await grove(sandbox, ["ls", "--json"])).stdout) as Task[];
    expect(tasks.map((task) => task.state)).toEqual(["landed", "done", "archived"]);
    // The explain task ran read-only: its notes are kept by grove, not committed.
    expect(git(repo, ["rev-parse", tasks[2]!.branch])).toBe(tasks[2]!.baseCommit);
    expect(readFileSync(join(tasks[2]!.taskDir, "pipeline", "notes.md"), "utf8")).toContain(
      "# How greeting works",
    );

    // The printed dashboard address signs the browser in and serves the page.
    const dashboard = /^grove demo · dashboard \(watch, review, send back, land\): (\S+)$/m.exec(
      result.stdout,
    );
    expect(dashboard, result.stdout).not.toBeNull();
    const signIn = await fetch(dashboard![1]!, { redirect: "manual" });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const page = await fetch(new URL(signIn.headers.get("location")!, dashboard![1]!), {
      headers: { cookie },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  }, 70_000);
});
