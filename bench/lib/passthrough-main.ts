/**
 * Child-process entry for bench:router's "passthrough" target: about the least a Node proxy in
 * front of the upstream can do, as a floor under the router's figures on the same machine.
 * node:http in; undici's dispatcher out (the client the router uses, without the Fetch layer);
 * the upstream's bytes copied to the client untouched, one write per socket read, with
 * backpressure. No parsing, no translation, no web streams.
 *
 * Usage: passthrough-main.ts <upstream base URL>; prints `passthrough listening on <url>`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, type Dispatcher } from "undici";

const upstream = new URL(`${process.argv[2]}/chat/completions`);
const agent = new Agent();

const server = createServer((req, res) => {
  const body: Buffer[] = [];
  req.on("data", (chunk: Buffer) => body.push(chunk));
  req.on("end", () => {
    let controller: Dispatcher.DispatchController | undefined;
    let pending: Buffer[] = [];
    res.on("drain", () => controller?.resume());
    res.on("close", () => {
      if (!res.writableFinished) controller?.abort(new Error("client went away"));
    });
    // undici hands over each HTTP chunk; a socket read holds many. Write once per read.
    const flush = () => {
      const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      if (!res.write(bytes)) controller?.pause();
    };
    agent.dispatch(
      {
        origin: upstream.origin,
        path: upstream.pathname,
        method: "POST",
        headers: { "content-type": "application/json", authorization: req.headers.authorization ?? "" },
        body: Buffer.concat(body),
      },
      {
        onRequestStart(started) {
          controller = started;
        },
        onResponseStart(_controller, status, headers) {
          res.writeHead(status, { "content-type": String(headers["content-type"] ?? "text/event-stream") });
        },
        onResponseData(_controller, chunk) {
          if (pending.length === 0) queueMicrotask(flush);
          pending.push(chunk);
        },
        onResponseEnd() {
          queueMicrotask(() => res.end());
        },
        onResponseError(_controller, error) {
          res.destroy(error);
        },
      },
    );
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`passthrough listening on http://127.0.0.1:${port}\n`);
});
process.once("SIGTERM", () => process.exit(0));
