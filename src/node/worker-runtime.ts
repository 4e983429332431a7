/**
 * Runs a bundled Worker in the real workerd runtime, through miniflare (its npm package ships the
 * workerd binary, so nothing is downloaded), on a loopback port.
 */
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { Miniflare, type MiniflareOptions } from "miniflare";

export interface WorkerRuntimeOptions {
  /** The Worker as one ES module's source. */
  script: string;
  /** Where that source came from, for stack traces. */
  scriptPath?: string;
  /** Vars, secrets and JSON vars, as `env` sees them. */
  bindings: Record<string, unknown>;
  host?: string;
  /** 0 picks a free one. */
  port: number;
  compatibilityDate: string;
  compatibilityFlags?: string[];
  /** Each line the Worker prints (console.log, console.error) and workerd's own messages. */
  onLine?: (line: string) => void;
}

export interface WorkerRuntime {
  /** http://host:port, no trailing slash. */
  url: string;
  /** Restarts the Worker with other bindings (a new config, say); resolves with the URL. */
  setBindings(bindings: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Requests whose client went away abort `request.signal`, which the router passes to its upstream fetch. */
export const WORKER_COMPATIBILITY_FLAGS = ["enable_request_signal"];

export async function startWorkerRuntime(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const miniflareOptions = (bindings: Record<string, unknown>): MiniflareOptions => ({
    // One module given whole: miniflare then skips scanning a multi-megabyte bundle for imports.
    modules: [{ type: "ESModule", path: options.scriptPath ?? "worker.js", contents: options.script }],
    ...(options.scriptPath ? { modulesRoot: dirname(options.scriptPath) } : {}),
    bindings,
    host: options.host ?? "127.0.0.1",
    port: options.port,
    compatibilityDate: options.compatibilityDate,
    compatibilityFlags: options.compatibilityFlags ?? WORKER_COMPATIBILITY_FLAGS,
    // The `request.cf` object would otherwise be fetched from Cloudflare at start-up.
    cf: false,
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      for (const stream of [stdout, stderr]) {
        const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
        lines.on("line", (line) => options.onLine?.(line));
      }
    },
  });
  const miniflare = new Miniflare(miniflareOptions(options.bindings));
  const origin = async () => (await miniflare.ready).origin;
  return {
    url: await origin(),
    async setBindings(bindings) {
      await miniflare.setOptions(miniflareOptions(bindings));
      return origin();
    },
    close: () => miniflare.dispose(),
  };
}
