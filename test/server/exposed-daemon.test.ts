/**
 * A daemon bound beyond loopback (`grove serve --host 0.0.0.0`): a stable token kept in
 * GROVE_HOME with mode 600, required on every request (the page's assets too), the dashboard's
 * CSRF check accepting the daemon's own Host as origin, and the token never printed where it
 * could end up in a log. Real daemons on port 0; requests through 127.0.0.1.
 */

import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningDaemon, startDaemon } from "../../src/server/daemon.js";
import { daemonTokenPath, resolveDaemonToken } from "../../src/server/daemon-token.js";
import { disposeAll, groveOk, makeSandbox, readInfo, startDaemonProcess } from "../orchestrator/harness.js";

let root: string;
let webRoot: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "grove-exposed-"));
  webRoot = join(root, "web");
  mkdirSync(join(webRoot, "assets"), { recursive: true });
  writeFileSync(join(webRoot, "index.html"), "<!doctype html><p>dashboard</p>");
  writeFileSync(join(webRoot, "assets", "app.js"), "console.log('grove');\n");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => disposeAll());

const mode = (path: string) => statSync(path).mode & 0o777;

describe("the daemon token", () => {
  it("on loopback is fresh on every start and stored nowhere but daemon.json", () => {
    const home = join(root, "loopback");
    mkdirSync(home);
    const first = resolveDaemonToken(home, "127.0.0.1", {});
    expect(first).toMatch(/^[0-9a-f]{48}$/);
    expect(resolveDaemonToken(home, "127.0.0.1", {})).not.toBe(first);
    expect(existsSync(daemonTokenPath(home))).toBe(false);
  });

  it("beyond loopback is created once in GROVE_HOME with mode 600, then reused", () => {
    const home = join(root, "exposed");
    mkdirSync(home);
    const token = resolveDaemonToken(home, "0.0.0.0", {});
    expect(readFileSync(daemonTokenPath(home), "utf8").trim()).toBe(token);
    expect(mode(daemonTokenPath(home))).toBe(0o600);
    expect(resolveDaemonToken(home, "100.64.0.7", {})).toBe(token);
    chmodSync(daemonTokenPath(home), 0o644);
    expect(resolveDaemonToken(home, "0.0.0.0", {})).toBe(token);
    expect(mode(daemonTokenPath(home))).toBe(0o600);
  });

  it("is GROVE_DAEMON_TOKEN when configured, which must not be short", () => {
    const home = join(root, "configured");
    mkdirSync(home);
    const configured = "a-configured-token-0123456789";
    expect(resolveDaemonToken(home, "0.0.0.0", { GROVE_DAEMON_TOKEN: configured })).toBe(configured);
    expect(existsSync(daemonTokenPath(home))).toBe(false);
    expect(() => resolveDaemonToken(home, "0.0.0.0", { GROVE_DAEMON_TOKEN: "short" })).toThrow(/too short/);
  });
});

/** A raw request, so the Host header can be what another machine would send. */
function send(
  url: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}${path}`, {
      method: options.method ?? "GET",
      headers: options.headers,
    });
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end(options.body);
  });
}

describe("a daemon bound to 0.0.0.0", () => {
  let daemon: RunningDaemon;
  let loopback: RunningDaemon;

  beforeAll(async () => {
    daemon = await startDaemon({ home: join(root, "home-exposed"), host: "0.0.0.0", port: 0, webRoot });
    loopback = await startDaemon({ home: join(root, "home-loopback"), port: 0, webRoot });
  });
  afterAll(async () => {
    await daemon?.stop();
    await loopback?.stop();
  });

  it("is reached by this machine's CLI on loopback, with its stored token", () => {
    expect(daemon.info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(daemon.info.host).toBe("0.0.0.0");
    expect(daemon.info.token).toBe(readFileSync(daemonTokenPath(join(root, "home-exposed")), "utf8").trim());
    for (const url of daemon.info.remoteUrls ?? []) expect(url).toMatch(/^http:\/\/[\d.]+:\d+$/);
  });

  it("needs the token for every request, the page's assets included", async () => {
    const { url, token } = daemon.info;
    const cookie = `grove_token=${token}`;
    expect((await send(url, "/assets/app.js")).status).toBe(401);
    expect((await send(url, "/favicon.svg")).status).toBe(401);
    expect((await send(url, "/")).status).toBe(401);
    expect((await send(url, "/api/health")).status).toBe(401);
    expect((await send(url, "/api/stream")).status).toBe(401);
    expect((await send(url, "/assets/app.js", { headers: { cookie: "grove_token=wrong" } })).status).toBe(
      401,
    );
    expect((await send(url, "/assets/app.js", { headers: { cookie } })).status).toBe(200);
    expect((await send(url, "/", { headers: { cookie } })).body).toContain("dashboard");
    // On loopback the bundle stays public (it holds nothing secret).
    expect((await send(loopback.info.url, "/assets/app.js")).status).toBe(200);
  });

  it("takes a state change from a page served under the daemon's own Host, and no other", async () => {
    const port = new URL(daemon.info.url).port;
    const gc = (target: RunningDaemon, host: string, origin: string) =>
      send(target.info.url, "/api/gc", {
        method: "POST",
        headers: {
          host,
          origin,
          cookie: `grove_token=${target.info.token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ olderThanMs: 0, dryRun: true }),
      });
    expect((await gc(daemon, `devbox.example:${port}`, `http://devbox.example:${port}`)).status).toBe(200);
    expect((await gc(daemon, `devbox.example:${port}`, "http://evil.example")).status).toBe(403);
    // A loopback daemon trusts only its own loopback origins.
    const loopbackPort = new URL(loopback.info.url).port;
    const rebound = `evil.example:${loopbackPort}`;
    expect((await gc(loopback, rebound, `http://${rebound}`)).status).toBe(403);
  });
});

describe("grove serve --host 0.0.0.0", () => {
  it("never writes the token where a log could keep it, and grove ui prints the signed-in URLs", async () => {
    const sandbox = makeSandbox("grove-serve-host-");
    sandbox.env.GROVE_DAEMON_HOST = "0.0.0.0";
    const served = await startDaemonProcess(sandbox); // its stdout is a pipe, as with logs/daemon.log
    const info = readInfo(sandbox.home)!;
    expect(info.host).toBe("0.0.0.0");
    expect(mode(daemonTokenPath(sandbox.home))).toBe(0o600);
    expect(served.output()).toContain("grove dashboard: http://127.0.0.1:");
    expect(served.output()).not.toContain(info.token);

    const serve = await groveOk(sandbox, ["serve"]);
    expect(serve).toContain("already running");
    expect(serve).not.toContain(info.token);

    const ui = await groveOk(sandbox, ["ui", "--no-open"]);
    expect(ui).toContain(`${info.url}/auth?token=${info.token}`);
    for (const remote of info.remoteUrls ?? []) expect(ui).toContain(`${remote}/auth?token=${info.token}`);
  }, 30_000);
});
