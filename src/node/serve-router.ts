/** Serves the router app on a Node HTTP server. */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createRouterApp, type RouterAppOptions } from "../router/app.js";
import { RouterError } from "../router/errors.js";
import { upstreamFetch } from "./upstream-fetch.js";

export interface RunningRouter {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface ServeRouterOptions extends RouterAppOptions {
  /** Allows a non-loopback bind without tokens: the user said so explicitly. */
  insecureNoAuth?: boolean;
}

export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

export function assertSafeBind(host: string, tokens: readonly string[], insecureNoAuth = false): void {
  if (isLoopbackHost(host) || tokens.length > 0 || insecureNoAuth) return;
  throw new RouterError(
    400,
    `refusing to listen on ${host} without a token: anyone who can reach this address could use your providers. ` +
      "Pass --token (or server.tokens in the config), or --insecure-no-auth if the network is trusted.",
  );
}

export async function serveRouter(options: ServeRouterOptions): Promise<RunningRouter> {
  const { host, port } = options.config.server;
  assertSafeBind(host, options.config.server.tokens, options.insecureNoAuth);
  const app = createRouterApp({ ...options, fetch: options.fetch ?? upstreamFetch });
  const server = serve({ fetch: app.fetch, hostname: host, port });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
