/** Where grove keeps its state: `GROVE_HOME`, default `~/.grove`. */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export function groveHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.GROVE_HOME || join(homedir(), ".grove");
}

export function defaultRouterConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.GROVE_ROUTER_CONFIG || join(groveHome(env), "router.json");
}

/** The package's own root, for bundled files and binaries installed beside grove. */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Finds an executable on PATH, then among grove's own dependencies. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  const bundled = join(packageRoot, "node_modules", ".bin", name);
  return existsSync(bundled) ? bundled : undefined;
}
