/**
 * The router as a Cloudflare Worker in real workerd, as a target for the shared router suites.
 * One workerd per test file: a test's config reaches it as the GROVE_ROUTER_CONFIG binding,
 * with the test's fake upstream behind a fixed relay port, so workerd restarts only when a test
 * changes the config itself. Request records come back through the Worker's GROVE_LOG_URL sink
 * (a small server here), log lines through workerd's stdout.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { bundleRouterWorker, WORKER_COMPATIBILITY_DATE } from "../../src/node/worker-bundle.js";
import { startWorkerRuntime, type WorkerRuntime } from "../../src/node/worker-runtime.js";
import type { RouterConfigInput } from "../../src/router/config/config-schema.js";
import type { RequestRecord } from "../../src/router/handlers/messages.js";
import type { RouterTarget } from "../router/harness.js";
import { startTcpRelay, type TcpRelay } from "./tcp-relay.js";

type SinkRecord = RequestRecord & { time: string };

/** A POST endpoint that hands each JSON body to `onRecord`. */
async function startRecordSink(onRecord: (record: SinkRecord) => void) {
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      onRecord(JSON.parse(body) as SinkRecord);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/records`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const LOOPBACK_URL = /^http:\/\/127\.0\.0\.1:(\d+)(\/.*)?$/;

/** The config with its one loopback upstream moved behind the relay, and that upstream's port. */
function behindRelay(
  input: RouterConfigInput,
  relay: TcpRelay,
): { config: RouterConfigInput; port?: number } {
  const config = structuredClone(input);
  const ports = new Set<number>();
  for (const provider of Object.values(config.providers)) {
    if (provider.type !== "openai-chat" && provider.type !== "anthropic") continue;
    const match = LOOPBACK_URL.exec(provider.baseUrl);
    if (!match) continue;
    ports.add(Number(match[1]));
    provider.baseUrl = `http://127.0.0.1:${relay.port}${match[2] ?? ""}`;
  }
  if (ports.size > 1) throw new Error("the workerd target relays one loopback upstream per config");
  return { config, port: [...ports][0] };
}

/** Registers this file's workerd (started before its tests, disposed after) and returns the target. */
export function workerdTarget(): RouterTarget {
  let runtime: WorkerRuntime | undefined;
  let sink: Awaited<ReturnType<typeof startRecordSink>> | undefined;
  let relay: TcpRelay | undefined;
  let loaded = "";
  // What arrives goes to the test running now; a record made before it started is an earlier test's.
  let current = { startedAt: 0, records: [] as RequestRecord[], logs: [] as string[] };

  beforeAll(async () => {
    relay = await startTcpRelay();
    sink = await startRecordSink((record) => {
      if (Date.parse(record.time) >= current.startedAt) current.records.push(record);
    });
    runtime = await startWorkerRuntime({
      script: await bundleRouterWorker(),
      bindings: {},
      port: 0,
      compatibilityDate: WORKER_COMPATIBILITY_DATE,
      onLine: (line) => current.logs.push(line),
    });
  });
  afterAll(async () => {
    await runtime?.close();
    await sink?.close();
    await relay?.close();
  });

  return {
    name: "workerd",
    noticesDisconnectOnlyOnWrite: true,
    async start(input, env) {
      if (!runtime || !sink || !relay)
        throw new Error("workerdTarget() must be called at the top of a test file");
      const { config, port } = behindRelay({ ...input, log: input.log ?? { level: "debug" } }, relay);
      if (port !== undefined) relay.retarget(port);
      const bindings = JSON.stringify({
        ...env,
        GROVE_ROUTER_CONFIG: JSON.stringify(config),
        GROVE_LOG_URL: sink.url,
        // Like the Node target's loopback bind: the suites' configs hold a key and no token.
        GROVE_INSECURE_NO_AUTH: "true",
      });
      if (bindings !== loaded) {
        await runtime.setBindings(JSON.parse(bindings) as Record<string, unknown>);
        loaded = bindings;
      }
      current = { startedAt: Date.now(), records: [], logs: [] };
      return { url: runtime.url, records: current.records, logs: current.logs, close: async () => {} };
    },
  };
}
