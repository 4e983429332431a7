/** Real node:http servers on 127.0.0.1 for HTTP client tests, and small helpers to watch them. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const servers: Server[] = [];

/** Closes every server `serve` started: call it in afterEach. */
export async function closeServers(): Promise<void> {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A server on 127.0.0.1 at a free port; `url` has no trailing slash. */
export async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export async function readRequest(req: IncomingMessage): Promise<Seen> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return {
    method: req.method ?? "",
    url: req.url ?? "",
    headers: req.headers,
    body: Buffer.concat(chunks).toString("utf8"),
  };
}

/** Resolves when `res` closes; `finished` says whether the whole response had been written. */
export function closeOf(res: ServerResponse): Promise<{ finished: boolean }> {
  return new Promise((resolve) => res.once("close", () => resolve({ finished: res.writableFinished })));
}

/** `promise`, or a rejection naming `what` after `ms`: a hang fails the test instead of timing it out. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a read of `promise` settles to: the error it rejects with, or a failure if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** Reads the whole body, counting reads. */
export async function readAll(response: Response): Promise<{ text: string; reads: number }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let reads = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    reads += 1;
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), reads };
}
