/**
 * Bundles grove's Worker entry (src/worker) into one ES module with esbuild, the way wrangler
 * would: browser platform, `workerd` export conditions, no Node built-ins.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Dates past the bundled workerd's own are refused by `grove worker dev`, so pin one it knows. */
export const WORKER_COMPATIBILITY_DATE = "2026-04-20";

/** The entry as TypeScript when grove runs from source (tests), as JavaScript from dist. */
export function workerEntryPath(): string {
  const source = fileURLToPath(new URL("../worker/index.ts", import.meta.url));
  return existsSync(source) ? source : fileURLToPath(new URL("../worker/index.js", import.meta.url));
}

/** The router and its Worker glue as one module exporting `createGroveWorker` and a default Worker. */
export function bundleRouterWorker(): Promise<string> {
  return bundle(workerEntryPath(), "// grove router for Cloudflare Workers, bundled by `grove worker init`.");
}

/** A generated project's own entry (src/index.js and the router.json it imports) as one module. */
export function bundleWorkerProject(entry: string): Promise<string> {
  return bundle(entry);
}

async function bundle(entry: string, banner?: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    legalComments: "none",
    logLevel: "silent",
    ...(banner ? { banner: { js: banner } } : {}),
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return output.text;
}
