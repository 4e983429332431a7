/**
 * End to end with the real Claude Code CLI (2.1.197, a devDependency): Claude Code → grove
 * router → fake OpenAI-compatible upstream, which asks for a `Write` of hello.txt, then answers.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  assertBuilt,
  claudeBin,
  cleanEnv,
  freePort,
  type GroveRouterProcess,
  groveMain,
  killAllChildren,
  type ProcessResult,
  runProcess,
  startGroveRouter,
} from "../cli/spawn-grove.js";
import {
  type FakeChatUpstream,
  type RecordedRequest,
  startFakeChatUpstream,
  textChunks,
  toolCallChunks,
} from "../support/fake-chat-upstream.js";

const CONTENT = "hello from the grove e2e test\n";
const FINAL_TEXT = "Created hello.txt.";
const CLAUDE_TIMEOUT_MS = 60_000;

let upstream: FakeChatUpstream;
/** The real `grove router` process (dist), passing Claude Code's model names through. */
let router: GroveRouterProcess;
let tmp: string;
/** Where the next tool call writes; set per test. */
let target = "";

beforeAll(async () => {
  assertBuilt();
  if (!existsSync(claudeBin)) throw new Error(`${claudeBin} is missing: npm install`);
  tmp = mkdtempSync(join(tmpdir(), "grove-e2e-"));
  upstream = await startFakeChatUpstream();
  // Stateless: a tool result present → final text; otherwise → stream a Write call.
  upstream.setResponder((req) => {
    const messages: Array<{ role: string }> = req.body.messages ?? [];
    if (messages.some((message) => message.role === "tool")) {
      return { type: "stream", chunks: textChunks(FINAL_TEXT, 3) };
    }
    const args = JSON.stringify({ file_path: target, content: CONTENT });
    return {
      type: "stream",
      chunks: toolCallChunks([{ id: "call_e2e_write", name: "Write", arguments: args }], { fragments: 4 }),
    };
  });
  router = await startRouter();
}, 30_000);

function startRouter(): Promise<GroveRouterProcess> {
  return startGroveRouter(
    [
      "--upstream",
      upstream.baseUrl,
      "--upstream-key",
      "upstream-secret",
      "--port",
      "0",
      "--log-level",
      "debug",
    ],
    { env: cleanEnv({ GROVE_HOME: join(tmp, "router-home") }) },
  );
}

afterEach(() => {
  killAllChildren([router.child]);
});

afterAll(async () => {
  killAllChildren();
  await upstream?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

let runCount = 0;

/** A fresh git repo with one commit, and fresh HOME and TMPDIR beside it. */
function makeWorkspace() {
  runCount += 1;
  const root = join(tmp, `run-${runCount}`);
  const repo = join(root, "repo");
  const home = join(root, "home");
  const scratch = join(root, "scratch");
  for (const dir of [repo, home, scratch]) mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=grove-test", "-c", "user.email=test@grove.invalid", ...args], {
      cwd: repo,
      env: cleanEnv({ HOME: home }),
      stdio: "ignore",
    });
  git("init", "-q");
  writeFileSync(join(repo, "README.md"), "# scratch\n");
  git("add", "README.md");
  git("commit", "-q", "-m", "initial");
  target = join(repo, "hello.txt");
  return { root, repo, home, scratch };
}

const CLAUDE_ARGS = [
  "-p",
  "create hello.txt",
  "--output-format",
  "stream-json",
  "--verbose",
  "--dangerously-skip-permissions",
];

interface StreamEvent {
  type: string;
  subtype?: string;
  is_error?: boolean;
  result?: string;
  [key: string]: unknown;
}

function parseEvents(stdout: string): StreamEvent[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim().startsWith("{"))
    .map((line) => JSON.parse(line) as StreamEvent);
}

function describeRun(result: ProcessResult): string {
  return `exit ${result.code} (${result.signal})\nstdout:\n${result.stdout.slice(-4000)}\nstderr:\n${result.stderr.slice(-4000)}\nrouter log:\n${router.stderr().slice(-4000)}`;
}

/** The outcome every run must have: exit 0, the file written, a successful result event. */
function expectSuccess(result: ProcessResult, repo: string): StreamEvent[] {
  const why = describeRun(result);
  expect(result.code, why).toBe(0);
  const events = parseEvents(result.stdout);
  const final = events.find((event) => event.type === "result");
  expect(final, why).toBeDefined();
  expect(final?.is_error, why).toBe(false);
  expect(final?.result, why).toBe(FINAL_TEXT);
  expect(
    events.some((event) => event.type === "system" && event.subtype === "api_retry"),
    why,
  ).toBe(false);
  expect(readFileSync(join(repo, "hello.txt"), "utf8")).toBe(CONTENT);
  return events;
}

/** Statuses from the router's per-request log lines after stderr offset `from`, once there are `count`. */
async function loggedStatuses(from: number, count: number): Promise<number[]> {
  const statuses = () =>
    router
      .stderr()
      .slice(from)
      .split("\n")
      .flatMap((line) => {
        const match = / → \S+ (?:stream|json) (\d{3}) /.exec(line);
        return match ? [Number(match[1])] : [];
      });
  const deadline = Date.now() + 5_000;
  while (statuses().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return statuses();
}

function chatRequests(from: number): RecordedRequest[] {
  return upstream.requests.slice(from).filter((req) => req.path.startsWith("/v1/chat/completions"));
}

/** The text of an OpenAI message's content, string or parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part: { text?: unknown }) => (typeof part.text === "string" ? part.text : ""))
      .join("");
  }
  return "";
}

function runClaude(
  repo: string,
  home: string,
  scratch: string,
  extraArgs: string[],
  extraEnv: Record<string, string>,
) {
  return runProcess(claudeBin, [...CLAUDE_ARGS, ...extraArgs], {
    cwd: repo,
    timeoutMs: CLAUDE_TIMEOUT_MS,
    env: cleanEnv({
      HOME: home,
      TMPDIR: scratch,
      ANTHROPIC_BASE_URL: router.url,
      ANTHROPIC_API_KEY: "dummy",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      IS_SANDBOX: "1",
      ...extraEnv,
    }),
  });
}

describe("Claude Code through the grove router", () => {
  it(
    "creates hello.txt with ANTHROPIC_MODEL=claude-sonnet-4-6",
    async () => {
      const { repo, home, scratch } = makeWorkspace();
      const from = upstream.requests.length;
      const logFrom = router.stderr().length;
      const result = await runClaude(repo, home, scratch, [], { ANTHROPIC_MODEL: "claude-sonnet-4-6" });
      expectSuccess(result, repo);

      const sent = chatRequests(from);
      expect(sent.length).toBeGreaterThanOrEqual(2);
      for (const req of sent) {
        expect(req.body.model).toBe("claude-sonnet-4-6");
        expect(req.headers.authorization).toBe("Bearer upstream-secret");
      }
      // This model gets no mid-conversation system message: only the system prompt.
      const first = sent[0]!.body.messages as Array<{ role: string; content: unknown }>;
      expect(first.filter((message) => message.role === "system")).toHaveLength(1);
      expect(first[0]!.role).toBe("system");
      expect(await loggedStatuses(logFrom, sent.length)).toEqual(sent.map(() => 200));
    },
    CLAUDE_TIMEOUT_MS + 10_000,
  );

  it(
    "creates hello.txt with a custom model name, carrying its role:system message upstream",
    async () => {
      const { repo, home, scratch } = makeWorkspace();
      const from = upstream.requests.length;
      const logFrom = router.stderr().length;
      const result = await runClaude(repo, home, scratch, ["--model", "my-proxy-model"], {});
      expectSuccess(result, repo);

      const sent = chatRequests(from);
      expect(sent.length).toBeGreaterThanOrEqual(2);
      for (const req of sent) expect(req.body.model).toBe("my-proxy-model");
      // Claude Code sends `{role:"system", content:"Available agent types…"}` inside messages[];
      // it must arrive after the system prompt, as a system message or folded into a user turn.
      const first = sent[0]!.body.messages as Array<{ role: string; content: unknown }>;
      const carriers = first
        .slice(1)
        .filter((message) => contentText(message.content).includes("Available agent types"));
      expect(carriers.length, JSON.stringify(first.map((m) => m.role))).toBeGreaterThanOrEqual(1);
      for (const message of carriers) expect(["system", "user"]).toContain(message.role);
      // No 4xx (or any failure) at the router.
      expect(await loggedStatuses(logFrom, sent.length)).toEqual(sent.map(() => 200));
    },
    CLAUDE_TIMEOUT_MS + 10_000,
  );
});

describe("grove claude", () => {
  it(
    "starts a session router from $GROVE_HOME/router.json and creates hello.txt",
    async () => {
      const { root, repo, home, scratch } = makeWorkspace();
      const groveHome = join(root, "grove-home");
      mkdirSync(groveHome, { recursive: true });
      // A port nobody listens on, so grove starts its own session router.
      const port = await freePort();
      writeFileSync(
        join(groveHome, "router.json"),
        JSON.stringify({
          providers: { fake: { type: "openai-chat", baseUrl: upstream.baseUrl, apiKey: "$GROVE_E2E_KEY" } },
          routes: { default: "fake/grove-claude-model" },
          server: { port },
        }),
      );
      const from = upstream.requests.length;
      const result = await runProcess(process.execPath, [groveMain, "claude", ...CLAUDE_ARGS], {
        cwd: repo,
        timeoutMs: CLAUDE_TIMEOUT_MS,
        env: cleanEnv({
          HOME: home,
          TMPDIR: scratch,
          GROVE_HOME: groveHome,
          GROVE_E2E_KEY: "key-from-grove-home",
          // Pin the devDependency rather than whatever `claude` is on PATH.
          GROVE_CLAUDE_BIN: claudeBin,
          IS_SANDBOX: "1",
        }),
      });
      expectSuccess(result, repo);

      const sent = chatRequests(from);
      expect(sent.length).toBeGreaterThanOrEqual(2);
      for (const req of sent) {
        expect(req.body.model).toBe("grove-claude-model");
        expect(req.headers.authorization).toBe("Bearer key-from-grove-home");
      }
      // The session router logged to $GROVE_HOME/logs/router.log, not the terminal.
      const log = readFileSync(join(groveHome, "logs", "router.log"), "utf8");
      expect(log).toMatch(/ → fake\/grove-claude-model stream 200 /);
      expect(result.stderr).not.toMatch(/ → fake\//);
    },
    CLAUDE_TIMEOUT_MS + 10_000,
  );
});
