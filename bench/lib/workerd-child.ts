/**
 * The router as a Cloudflare Worker in workerd, for bench:router: `grove worker init` in key
 * passthrough to the fake upstream, then `grove worker dev` (the built CLI) on a free port.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerChild, startServerChild } from "./child.js";
import { childPids } from "./proc.js";

export interface WorkerdChild extends ServerChild {
  /** The workerd process itself (a child of `grove worker dev`), which does the routing. */
  workerdPid: number;
}

export async function startWorkerdChild(
  root: string,
  upstreamUrl: string,
  model: string,
): Promise<WorkerdChild> {
  const dir = mkdtempSync(join(tmpdir(), "grove-bench-worker-"));
  const grove = (args: string[]) =>
    execFileSync(process.execPath, ["dist/cli/main.js", ...args], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
    });
  grove(["worker", "init", dir, "--upstream", upstreamUrl, "--model", model]);
  // As `grove router --log-level warn` in the Node target: no log line per request.
  const configPath = join(dir, "router.json");
  writeFileSync(
    configPath,
    JSON.stringify({ ...JSON.parse(readFileSync(configPath, "utf8")), log: { level: "warn" } }),
  );
  const dev = await startServerChild(
    "worker",
    process.execPath,
    ["dist/cli/main.js", "worker", "dev", dir, "--port", "0"],
    { cwd: root, ready: /grove worker listening on (\S+)/ },
  );
  const workerdPid = descendantNamed(dev.pid, "workerd");
  if (workerdPid === undefined) {
    await dev.stop();
    throw new Error(`no workerd process under grove worker dev (pid ${dev.pid})`);
  }
  return {
    ...dev,
    workerdPid,
    async stop(graceMs) {
      await dev.stop(graceMs);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The first process named `name` below `pid`. */
function descendantNamed(pid: number, name: string): number | undefined {
  for (const child of childPids(pid)) {
    if (readFileSync(`/proc/${child}/comm`, "utf8").trim() === name) return child;
    const deeper = descendantNamed(child, name);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
}
