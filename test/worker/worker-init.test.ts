/**
 * `grove worker init` and `grove worker dev`, the built CLI as a user runs it: a config with
 * distinctive fake secrets becomes a project in which none of them appears; real wrangler
 * accepts it for deploy (dry run, offline); and workerd serves it with the secrets from the env.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, repoRoot, runGrove, runProcess } from "../cli/spawn-grove.js";
import { type FakeChatUpstream, startFakeChatUpstream, textChunks } from "../support/fake-chat-upstream.js";
import { startGroveWorkerDev } from "./grove-worker-dev.js";

const PROVIDER_KEY = "sk-or-v1-GROVE-FAKE-KEY-7f3a9c2e5b81";
const ROUTER_TOKEN = "grove-router-token-FAKE-d41e0a";
const HEADER_SECRET = "x-auth-FAKE-SECRET-b7c9";
const SECRETS = [PROVIDER_KEY, ROUTER_TOKEN, HEADER_SECRET];

let tmp: string;
let upstream: FakeChatUpstream;
let configPath: string;
let project: string;
let initOutput: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "grove-worker-init-"));
  upstream = await startFakeChatUpstream();
  upstream.setResponder(() => ({ type: "stream", chunks: textChunks("from the provider", 2) }));
  mkdirSync(join(tmp, "config", "scripts"), { recursive: true });
  writeFileSync(
    join(tmp, "config", "scripts", "haiku.json"),
    JSON.stringify({ replies: [{ text: "scripted haiku reply", repeat: true }] }),
  );
  configPath = join(tmp, "config", "router.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      providers: {
        "open-router": {
          type: "openai-chat",
          baseUrl: upstream.baseUrl,
          apiKey: PROVIDER_KEY,
          headers: { "X-Title": "grove", "X-Custom-Auth": HEADER_SECRET },
        },
        local: { type: "script", script: "scripts/haiku.json" },
      },
      routes: { default: "open-router/some-model", models: { haiku: "local" } },
      server: { port: 3456, tokens: [ROUTER_TOKEN] },
    }),
  );
  project = join(tmp, "project");
  const result = await runGrove(["worker", "init", project, "--config", configPath, "--name", "my-router"]);
  initOutput = result.stdout + result.stderr;
  expect(result.code, initOutput).toBe(0);
}, 60_000);

afterAll(async () => {
  await upstream?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("grove worker init", () => {
  it("writes no secret into the project, and prints none", () => {
    const files = filesUnder(project);
    expect(files.map((file) => file.slice(project.length + 1)).sort()).toEqual([
      ".gitignore",
      "README.md",
      "package.json",
      "router.json",
      "src/grove-router.js",
      "src/index.js",
      "wrangler.jsonc",
    ]);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const secret of SECRETS) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
    }
    for (const secret of SECRETS) expect(initOutput).not.toContain(secret);
  });

  it("reads each secret by name instead, and lists the wrangler secret put commands", () => {
    const config = JSON.parse(readFileSync(join(project, "router.json"), "utf8"));
    expect(config.providers["open-router"]).toMatchObject({
      apiKey: "$GROVE_OPEN_ROUTER_API_KEY",
      headers: { "X-Title": "grove", "X-Custom-Auth": "$GROVE_OPEN_ROUTER_X_CUSTOM_AUTH" },
    });
    expect(config.server).toEqual({ tokens: ["$GROVE_ROUTER_TOKEN"] });
    // No file system on Workers: the script file is inlined.
    expect(config.providers.local.script).toEqual({
      replies: [{ text: "scripted haiku reply", repeat: true }],
    });
    for (const name of [
      "GROVE_OPEN_ROUTER_API_KEY",
      "GROVE_OPEN_ROUTER_X_CUSTOM_AUTH",
      "GROVE_ROUTER_TOKEN",
    ]) {
      expect(initOutput).toContain(`npx wrangler secret put ${name}`);
    }
    expect(initOutput).toContain(`cd ${project} && npm install && npx wrangler deploy`);
    expect(initOutput).toContain("ANTHROPIC_BASE_URL=https://my-router.<your-subdomain>.workers.dev");
  });

  it("is accepted by wrangler deploy (dry run, nothing uploaded), whose bundle holds no secret", async () => {
    const out = join(tmp, "wrangler-out");
    const result = await runProcess(
      join(repoRoot, "node_modules", ".bin", "wrangler"),
      ["deploy", "--dry-run", "--outdir", out],
      {
        cwd: project,
        timeoutMs: 60_000,
        env: cleanEnv({ HOME: join(tmp, "home"), WRANGLER_SEND_METRICS: "false", CI: "true" }),
      },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("--dry-run: exiting now.");
    const bundle = readFileSync(join(out, "index.js"), "utf8");
    expect(bundle).toContain("createGroveWorker");
    for (const secret of SECRETS) expect(bundle.includes(secret)).toBe(false);
  }, 90_000);

  it("refuses a directory that is not empty, a missing config and a bad one, saying why", async () => {
    const notEmpty = await runGrove(["worker", "init", project, "--demo"]);
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr).toContain(`${project} is not an empty directory`);

    const home = join(tmp, "empty-home");
    const missing = await runGrove(["worker", "init", join(tmp, "p2")], {
      env: cleanEnv({ GROVE_HOME: home }),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no router config at ${join(home, "router.json")}`);

    const bad = join(tmp, "bad.json");
    writeFileSync(bad, JSON.stringify({ providers: {}, routes: { default: "nowhere/m" } }));
    const invalid = await runGrove(["worker", "init", join(tmp, "p3"), "--config", bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('routes.default: unknown provider "nowhere"');
  });
});

describe("grove worker dev", () => {
  it("says which secrets are missing instead of starting", async () => {
    await expect(startGroveWorkerDev(project)).rejects.toThrow(
      /needs GROVE_OPEN_ROUTER_API_KEY, GROVE_OPEN_ROUTER_X_CUSTOM_AUTH, GROVE_ROUTER_TOKEN: set them in the environment or in .*\.dev\.vars/,
    );
  });

  it("serves the project in workerd with the secrets from the environment", async () => {
    const dev = await startGroveWorkerDev(project, {
      GROVE_OPEN_ROUTER_API_KEY: PROVIDER_KEY,
      GROVE_OPEN_ROUTER_X_CUSTOM_AUTH: HEADER_SECRET,
      GROVE_ROUTER_TOKEN: ROUTER_TOKEN,
    });
    try {
      const ask = (model: string, key: string) =>
        fetch(`${dev.url}/v1/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": key },
          body: JSON.stringify({ model, max_tokens: 50, messages: [{ role: "user", content: "hi" }] }),
        });
      expect((await ask("claude-sonnet-4-6", "not-the-token")).status).toBe(401);
      const routed = await ask("claude-sonnet-4-6", ROUTER_TOKEN);
      expect(routed.status).toBe(200);
      expect(await routed.json()).toMatchObject({ content: [{ type: "text", text: "from the provider" }] });
      const sent = upstream.requests.at(-1)!;
      expect(sent.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
      expect(sent.headers["x-custom-auth"]).toBe(HEADER_SECRET);
      expect(sent.body.model).toBe("some-model");
      const scripted = await ask("claude-haiku-4-5", ROUTER_TOKEN);
      expect(await scripted.json()).toMatchObject({
        content: [{ type: "text", text: "scripted haiku reply" }],
      });
    } finally {
      await dev.stop();
    }
  });
});
