/** `grove router` and `grove env` as real processes (node dist/cli/main.js), against a fake upstream. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  completion,
  type FakeChatUpstream,
  type RecordedRequest,
  startFakeChatUpstream,
  textChunks,
} from "../support/fake-chat-upstream.js";
import {
  assertBuilt,
  cleanEnv,
  freePort,
  isListening,
  killAllChildren,
  runGrove,
  runProcess,
  startGroveRouter,
} from "./spawn-grove.js";

const ANSWER = "Hello through the grove router.";

let upstream: FakeChatUpstream;
let tmp: string;

beforeAll(async () => {
  assertBuilt();
  tmp = mkdtempSync(join(tmpdir(), "grove-cli-"));
  upstream = await startFakeChatUpstream({
    // Stateless: text, streamed (four chunks in one write) or not as asked.
    responder: (req) =>
      req.body.stream
        ? { type: "stream", chunks: textChunks(ANSWER, 4), coalesce: true }
        : { type: "json", body: completion(ANSWER) },
  });
});

afterEach(() => {
  killAllChildren();
});

afterAll(async () => {
  killAllChildren();
  await upstream?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** GROVE_HOME points at an empty temp dir, so no developer's router.json is read. */
const env = (extra: Record<string, string> = {}) =>
  cleanEnv({ GROVE_HOME: join(tmp, "grove-home"), ...extra });

const client = (url: string, auth: { apiKey?: string; authToken?: string }) =>
  new Anthropic({
    baseURL: url,
    apiKey: auth.apiKey ?? null,
    authToken: auth.authToken ?? null,
    maxRetries: 0,
  });

const ask = (model: string) => ({
  model,
  max_tokens: 256,
  messages: [{ role: "user" as const, content: "hi" }],
});

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
}

/** Upstream requests that arrived after `from`, chat completions only. */
function sentSince(from: number): RecordedRequest[] {
  return upstream.requests.slice(from).filter((req) => req.path.startsWith("/v1/chat/completions"));
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)),
  ]);
}

describe("grove router quick mode", () => {
  it("prints one listening line and serves the SDK, streaming and not, with --model forced", async () => {
    const router = await startGroveRouter(
      ["--upstream", upstream.baseUrl, "--model", "forced-model", "--port", "0", "--no-coalesce-deltas"],
      {
        env: env(),
      },
    );
    expect(router.printedUrl).toBe(`http://127.0.0.1:${router.port}`);
    const from = upstream.requests.length;
    const sdk = client(router.url, { apiKey: "client-key-1" });

    const plain = await sdk.messages.create(ask("claude-sonnet-4-6"));
    expect(textOf(plain)).toBe(ANSWER);
    expect(plain.model).toBe("claude-sonnet-4-6");

    const streamed = sdk.messages.stream(ask("claude-sonnet-4-6"));
    const deltas: string[] = [];
    streamed.on("text", (text) => deltas.push(text));
    const final = await streamed.finalMessage();
    expect(textOf(final)).toBe(ANSWER);
    // --no-coalesce-deltas: one delta per upstream chunk, however the router's reads fall.
    expect(deltas).toHaveLength(4);

    const sent = sentSince(from);
    expect(sent.map((req) => [req.body.model, req.body.stream === true])).toEqual([
      ["forced-model", false],
      ["forced-model", true],
    ]);

    const result = await router.stop();
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`grove router listening on http://127.0.0.1:${router.port}\n`);
  });

  it("passes the client's model through without --model", async () => {
    const router = await startGroveRouter(["--upstream", upstream.baseUrl, "--port", "0"], { env: env() });
    const from = upstream.requests.length;
    const message = await client(router.url, { apiKey: "k" }).messages.create(ask("my-client-model"));
    expect(textOf(message)).toBe(ANSWER);
    expect(sentSince(from).map((req) => req.body.model)).toEqual(["my-client-model"]);
  });

  it("forwards the client's key upstream as Bearer when there is no --upstream-key", async () => {
    const router = await startGroveRouter(["--upstream", upstream.baseUrl, "--port", "0"], { env: env() });
    const from = upstream.requests.length;
    await client(router.url, { apiKey: "client-x-api-key" }).messages.create(ask("m"));
    await client(router.url, { authToken: "client-bearer-token" }).messages.create(ask("m"));
    const sent = sentSince(from);
    expect(sent.map((req) => req.headers.authorization)).toEqual([
      "Bearer client-x-api-key",
      "Bearer client-bearer-token",
    ]);
    for (const req of sent) expect(req.headers["x-api-key"]).toBeUndefined();
  });

  it("sends --upstream-key upstream and never the client's key", async () => {
    const router = await startGroveRouter(
      ["--upstream", upstream.baseUrl, "--upstream-key", "upstream-key-K", "--port", "0"],
      { env: env() },
    );
    const from = upstream.requests.length;
    await client(router.url, { apiKey: "client-key-never-forwarded" }).messages.create(ask("m"));
    await client(router.url, { authToken: "client-bearer-never-forwarded" })
      .messages.stream(ask("m"))
      .finalMessage();
    const sent = sentSince(from);
    expect(sent).toHaveLength(2);
    for (const req of sent) {
      expect(req.headers.authorization).toBe("Bearer upstream-key-K");
      expect(JSON.stringify(req.headers)).not.toContain("never-forwarded");
      expect(JSON.stringify(req.body)).not.toContain("never-forwarded");
    }
  });
});

describe("grove router on a non-loopback address", () => {
  it("refuses 0.0.0.0 without --token, naming --token and --insecure-no-auth, and listens on nothing", async () => {
    const port = await freePort();
    const result = await runGrove(
      ["router", "--upstream", upstream.baseUrl, "--host", "0.0.0.0", "--port", String(port)],
      { env: env() },
    );
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain("--token");
    expect(result.stderr).toContain("--insecure-no-auth");
    expect(result.stdout).not.toContain("listening");
    expect(await isListening(port)).toBe(false);
  });

  it("starts on 0.0.0.0 with --insecure-no-auth", async () => {
    const router = await startGroveRouter(
      ["--upstream", upstream.baseUrl, "--host", "0.0.0.0", "--port", "0", "--insecure-no-auth"],
      { env: env() },
    );
    const message = await client(router.url, { apiKey: "anything" }).messages.create(ask("m"));
    expect(textOf(message)).toBe(ANSWER);
  });

  it("with --token: 401 without it, accepted as x-api-key or Bearer, and never forwarded", async () => {
    const token = "router-token-T";
    const router = await startGroveRouter(
      ["--upstream", upstream.baseUrl, "--host", "0.0.0.0", "--port", "0", "--token", token],
      { env: env() },
    );
    expect(router.printedUrl).toBe(`http://0.0.0.0:${router.port}`);
    const from = upstream.requests.length;

    const attempts: Record<string, string>[] = [
      {},
      { "x-api-key": "wrong" },
      { authorization: "Bearer wrong" },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${router.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers },
        body: JSON.stringify(ask("m")),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    }
    expect(sentSince(from)).toHaveLength(0);

    const viaApiKey = await client(router.url, { apiKey: token }).messages.create(ask("m"));
    expect(textOf(viaApiKey)).toBe(ANSWER);
    const viaBearer = await client(router.url, { authToken: token }).messages.stream(ask("m")).finalMessage();
    expect(textOf(viaBearer)).toBe(ANSWER);

    const sent = sentSince(from);
    expect(sent).toHaveLength(2);
    for (const req of sent) {
      expect(req.headers.authorization).toBeUndefined();
      expect(JSON.stringify(req.headers)).not.toContain(token);
    }
  });
});

describe("grove router --config", () => {
  const writeConfig = (name: string, content: unknown): string => {
    const path = join(tmp, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return path;
  };
  const provider = { type: "openai-chat", baseUrl: "http://127.0.0.1:9/v1" };

  it.each([
    { name: "invalid JSON", file: "bad-json.json", content: '{"providers": {', expect: ["not valid JSON"] },
    {
      name: "an unknown provider in routes",
      file: "bad-route.json",
      content: {
        providers: { local: provider },
        routes: { default: "local/m", models: { opus: "nope/big" } },
      },
      expect: ["routes.models.opus", 'unknown provider "nope"'],
    },
    {
      name: "a missing environment variable",
      file: "bad-env.json",
      content: {
        providers: { local: { ...provider, apiKey: "$GROVE_TEST_MISSING_KEY" } },
        routes: { default: "local/m" },
      },
      expect: ["providers.local.apiKey", "GROVE_TEST_MISSING_KEY"],
    },
    {
      name: "a misspelt field",
      file: "bad-field.json",
      content: { providers: { local: { ...provider, apiKye: "k" } }, routes: { default: "local/m" } },
      expect: ["providers.local", "apiKye"],
    },
  ])("exits non-zero on $name, naming the file and the field", async (bad) => {
    const path = writeConfig(bad.file, bad.content);
    const port = await freePort();
    const result = await runGrove(["router", "--config", path, "--port", String(port)], { env: env() });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain(path);
    for (const text of bad.expect) expect(result.stderr).toContain(text);
    expect(result.stdout).toBe("");
    expect(await isListening(port)).toBe(false);
  });

  it("serves a valid file whose URL, key and token come from $ENV references", async () => {
    const path = writeConfig("good.json", {
      providers: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${NAME} syntax, on purpose.
        fake: { type: "openai-chat", baseUrl: "$FAKE_UPSTREAM_URL", apiKey: "${FAKE_UPSTREAM_KEY}" },
      },
      routes: { default: "fake/cfg-default", models: { sonnet: "fake/cfg-sonnet" } },
      server: { port: 0, tokens: ["$FAKE_ROUTER_TOKEN"] },
    });
    const router = await startGroveRouter(["--config", path], {
      env: env({
        FAKE_UPSTREAM_URL: upstream.baseUrl,
        FAKE_UPSTREAM_KEY: "key-from-env",
        FAKE_ROUTER_TOKEN: "token-from-env",
      }),
    });
    const from = upstream.requests.length;
    const sdk = client(router.url, { apiKey: "token-from-env" });
    expect(textOf(await sdk.messages.create(ask("claude-sonnet-4-6")))).toBe(ANSWER);
    expect(textOf(await sdk.messages.stream(ask("something-else")).finalMessage())).toBe(ANSWER);
    const sent = sentSince(from);
    expect(sent.map((req) => req.body.model)).toEqual(["cfg-sonnet", "cfg-default"]);
    for (const req of sent) expect(req.headers.authorization).toBe("Bearer key-from-env");
    await expect(client(router.url, { apiKey: "wrong" }).messages.create(ask("m"))).rejects.toMatchObject({
      status: 401,
    });
  });
});

describe("grove router request log", () => {
  const line = (model: string, target: string, kind: "stream" | "json") =>
    new RegExp(
      ` info\\s+${model} → ${target.replace("/", "\\/")} ${kind} 200 ttfb \\d+ms total \\d+ms tokens \\d+→\\d+$`,
    );

  it("logs one line per request, without the upstream key or the router token", async () => {
    const secrets = ["sk-upstream-SECRET-1", "router-token-SECRET-2"];
    const router = await startGroveRouter(
      ["--upstream", upstream.baseUrl, "--model", "log-model", "--port", "0"].concat([
        "--upstream-key",
        secrets[0]!,
        "--token",
        secrets[1]!,
        "--log-level",
        "debug",
      ]),
      { env: env() },
    );
    const sdk = client(router.url, { apiKey: secrets[1]! });
    await sdk.messages.create(ask("claude-log-json"));
    await sdk.messages.stream(ask("claude-log-stream")).finalMessage();
    await router.waitForStderr(line("claude-log-json", "upstream/log-model", "json"));
    await router.waitForStderr(line("claude-log-stream", "upstream/log-model", "stream"));
    const result = await router.stop();
    for (const secret of secrets) expect(result.stderr).not.toContain(secret);
    expect(result.stdout).not.toContain(secrets[0]!);
  });

  it("does not log the client's forwarded key", async () => {
    const clientKey = "sk-client-SECRET-3";
    const router = await startGroveRouter(
      ["--upstream", upstream.baseUrl, "--port", "0", "--log-level", "debug"],
      {
        env: env(),
      },
    );
    await client(router.url, { apiKey: clientKey }).messages.stream(ask("pass-model")).finalMessage();
    await router.waitForStderr(line("pass-model", "upstream/pass-model", "stream"));
    const result = await router.stop();
    expect(result.stderr).not.toContain(clientKey);
  });
});

describe("grove router shutdown", () => {
  it("exits 0 promptly on SIGTERM", async () => {
    const router = await startGroveRouter(["--upstream", upstream.baseUrl, "--port", "0"], { env: env() });
    await client(router.url, { apiKey: "k" }).messages.create(ask("m"));
    const result = await within(router.stop("SIGTERM"), 5_000, "exit after SIGTERM");
    expect(result.code).toBe(0);
    expect(await isListening(router.port)).toBe(false);
  });

  it("exits 0 promptly on SIGTERM with a stream still open", async () => {
    const router = await startGroveRouter(["--upstream", upstream.baseUrl, "--port", "0"], { env: env() });
    const from = upstream.requests.length;
    upstream.enqueue({ type: "hang" });
    const pending = client(router.url, { apiKey: "k" })
      .messages.stream(ask("m"))
      .finalMessage()
      .catch((error: unknown) => error);
    await within(
      (async () => {
        while (sentSince(from).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
      5_000,
      "the upstream request",
    );
    const result = await within(router.stop("SIGTERM"), 5_000, "exit after SIGTERM");
    expect(result.code).toBe(0);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe("grove env", () => {
  it("prints POSIX exports for the router address", async () => {
    const result = await runGrove(["env", "--port", "4567", "--upstream", "http://x/v1"], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").filter(Boolean)).toEqual([
      "export ANTHROPIC_BASE_URL='http://127.0.0.1:4567'",
      "export ANTHROPIC_API_KEY='grove-local'",
      "export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC='1'",
    ]);
  });

  it("prints JSON with --shell json, with the router token as the key and a loopback URL", async () => {
    const result = await runGrove(
      [
        "env",
        "--port",
        "4567",
        "--upstream",
        "http://x/v1",
        "--host",
        "0.0.0.0",
        "--token",
        "tok",
        "--shell",
        "json",
      ],
      { env: env() },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ANTHROPIC_BASE_URL: "http://127.0.0.1:4567",
      ANTHROPIC_API_KEY: "tok",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    });
  });

  it("quotes values so that eval in sh gives them back exactly", async () => {
    const awkward = `a'b"c$d \\e`;
    const script = `eval "$("$0" "$1" env --port 4567 --upstream http://x/v1)" && printf %s "$ANTHROPIC_API_KEY"`;
    const result = await runProcess("sh", ["-c", script, process.execPath, "dist/cli/main.js"], {
      env: env({ ANTHROPIC_API_KEY: awkward }),
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(awkward);
  });
});
