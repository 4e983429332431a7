/**
 * The dashboard's side of the daemon: the page and its assets, the token-for-cookie exchange,
 * the cookie on the API with its CSRF check, and the dashboard-only API routes. A real daemon
 * on port 0 in a temp GROVE_HOME, serving a stand-in build of the page.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDaemon, startDaemon } from "../../src/server/daemon.js";
import { originsFor } from "../../src/server/web-auth.js";

let root: string;
let daemon: RunningDaemon;
let url: string;
let token: string;
const PAGE = '<!doctype html><div id="root"></div><script type="module" src="/assets/app.js"></script>';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "grove-web-"));
  const home = join(root, "home");
  const webRoot = join(root, "web");
  mkdirSync(join(webRoot, "assets"), { recursive: true });
  writeFileSync(join(webRoot, "index.html"), PAGE);
  writeFileSync(join(webRoot, "assets", "app.js"), "console.log('grove');\n");
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, "router.json"),
    JSON.stringify({
      providers: {
        openrouter: {
          type: "openai-chat",
          baseUrl: "https://openrouter.ai/api/v1",
          apiKey: "sk-secret-openrouter-key",
          models: ["qwen/qwen3-coder"],
        },
        local: { type: "openai-chat", baseUrl: "http://gpu-box:11434/v1", headers: { "x-secret": "hush" } },
      },
      routes: {
        default: "openrouter/qwen/qwen3-coder",
        models: { opus: "openrouter/anthropic/claude-opus" },
      },
    }),
  );
  daemon = await startDaemon({ home, port: 0, webRoot });
  url = daemon.info.url;
  token = daemon.info.token;
});

afterAll(async () => {
  await daemon?.stop();
  rmSync(root, { recursive: true, force: true });
});

const cookie = () => `grove_token=${token}`;
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { headers, redirect: "manual" });
const post = (path: string, headers: Record<string, string>, body: unknown = {}) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    redirect: "manual",
  });
const gc = { olderThanMs: 0, dryRun: true };

describe("the dashboard page", () => {
  it("without the cookie shows a form asking for the token, and never the token", async () => {
    for (const path of ["/", "/tasks/3", "/review"]) {
      const response = await get(path);
      expect(response.status).toBe(401);
      const html = await response.text();
      expect(html).toContain('data-testid="auth-form"');
      expect(html).toContain("grove ui");
      expect(html).not.toContain(token);
      expect(html).not.toContain(PAGE);
    }
  });

  it("trades a right token for an HttpOnly, SameSite=Strict cookie and redirects to /", async () => {
    const response = await get(`/auth?token=${token}`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(new RegExp(`^grove_token=${token};`));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
  });

  it("refuses a wrong token without setting a cookie", async () => {
    const response = await get("/auth?token=wrong");
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.text()).toContain('data-testid="auth-form"');
  });

  it("accepts the pasted token from its own origin only", async () => {
    const form = (origin: string) =>
      fetch(`${url}/auth`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin },
        body: new URLSearchParams({ token }).toString(),
        redirect: "manual",
      });
    const ok = await form(url);
    expect(ok.status).toBe(303);
    expect(ok.headers.get("set-cookie")).toContain(`grove_token=${token}`);
    expect((await form("https://evil.example")).status).toBe(403);
  });

  it("with the cookie serves the app on every page path, with a strict CSP", async () => {
    for (const path of ["/", "/tasks/3", "/review", "/new"]) {
      const response = await get(path, { cookie: cookie() });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(PAGE);
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
    }
  });

  it("serves the assets, and 404s what is not there", async () => {
    const asset = await get("/assets/app.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(await asset.text()).toContain("grove");
    expect((await get("/assets/missing.js")).status).toBe(404);
    expect((await get("/assets/../index.html")).status).toBe(404);
  });
});

describe("the API from the page", () => {
  it("accepts the cookie on reads, and refuses a wrong cookie or none", async () => {
    expect((await get("/api/tasks", { cookie: cookie() })).status).toBe(200);
    expect((await get("/api/tasks", { cookie: "grove_token=wrong" })).status).toBe(401);
    expect((await get("/api/tasks")).status).toBe(401);
    expect((await get("/api/nope", { cookie: cookie() })).status).toBe(404);
  });

  it("refuses a state change carried by the cookie without the daemon's own Origin (CSRF)", async () => {
    expect((await post("/api/gc", { cookie: cookie() }, gc)).status).toBe(403);
    expect((await post("/api/gc", { cookie: cookie(), origin: "https://evil.example" }, gc)).status).toBe(
      403,
    );
    expect((await post("/api/gc", { cookie: cookie(), origin: "null" }, gc)).status).toBe(403);
    const port = new URL(url).port;
    expect(
      (await post("/api/gc", { cookie: cookie(), origin: `http://127.0.0.1:${Number(port) + 1}` }, gc))
        .status,
    ).toBe(403);
    const ok = await post("/api/gc", { cookie: cookie(), origin: url }, gc);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([]);
    expect((await post("/api/gc", { cookie: cookie(), origin: `http://localhost:${port}` }, gc)).status).toBe(
      200,
    );
  });

  it("still takes the Bearer token, with no Origin, and refuses a wrong one even with a good cookie", async () => {
    expect((await post("/api/gc", { authorization: `Bearer ${token}` }, gc)).status).toBe(200);
    expect((await get("/api/health", { authorization: `Bearer ${token}` })).status).toBe(200);
    expect(
      (await post("/api/gc", { authorization: "Bearer wrong", cookie: cookie(), origin: url }, gc)).status,
    ).toBe(401);
  });

  it("gives the new-task form model names from the router config, and no secret", async () => {
    const response = await get("/api/config", { cookie: cookie() });
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      models: ["openrouter", "openrouter/qwen/qwen3-coder", "local", "opus", "demo"],
      agents: ["builtin", "claude", "codex"],
      kinds: ["research", "explain", "maintenance", "feature"],
    });
    for (const secret of ["sk-secret", "hush", "gpu-box", "openrouter.ai", token])
      expect(text).not.toContain(secret);
  });

  it("gives each task's latest activity and what a reviewer needs", async () => {
    const { orchestrator } = daemon;
    const task = orchestrator.tasks.create({
      slug: "fix",
      branch: "grove/fix",
      repo: root,
      baseBranch: "main",
      worktree: join(root, "wt"),
      taskDir: join(root, "task"),
      prompt: "Fix the greeting",
      kind: "maintenance",
      agent: "builtin",
      model: "demo",
      yolo: false,
    });
    orchestrator.tasks.update(task.id, { summary: "Greets the world now." });
    orchestrator.log(task.id, "setup_output", { text: "$ npm ci\n" });
    orchestrator.log(task.id, "land_started", { base: "main", strategy: "rebase" });
    orchestrator.log(task.id, "land_progress", { step: "running the tests" });
    orchestrator.log(task.id, "land_finished", { result: "tests-failed", exitCode: 1, output: "1 failing" });
    orchestrator.log(task.id, "text_delta", { text: "not an activity" });

    const activity = await (await get("/api/activity", { cookie: cookie() })).json();
    expect(activity[task.id]).toMatchObject({ type: "land_finished", body: { result: "tests-failed" } });
    const review = await (await get(`/api/tasks/${task.id}/review`, { cookie: cookie() })).json();
    expect(review).toMatchObject({
      prompt: "Fix the greeting",
      summary: "Greets the world now.",
      land: { result: "tests-failed" },
      landSteps: ["running the tests"],
      testOutput: "1 failing",
      setupOutput: "$ npm ci\n",
    });
  });
});

describe("the daemon's origins", () => {
  it("are its own address and the other loopback names on the same port", () => {
    expect(originsFor("http://127.0.0.1:4777")).toEqual([
      "http://127.0.0.1:4777",
      "http://localhost:4777",
      "http://[::1]:4777",
    ]);
    expect(originsFor("http://box.tailnet:4777")).toEqual(["http://box.tailnet:4777"]);
  });
});
