/**
 * The real Claude Code CLI (2.1.197) through the router as a Worker in real workerd, started the
 * way a user would: `grove worker init`, then `grove worker dev`. Once on grove's scripted demo
 * model (answered inside the Worker), once in key passthrough to an HTTP upstream on 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claudeBin, cleanEnv, type ProcessResult, runGrove, runProcess } from "../cli/spawn-grove.js";
import { startFakeChatUpstream, textChunks, toolCallChunks } from "../support/fake-chat-upstream.js";
import { type GroveWorkerDev, startGroveWorkerDev } from "./grove-worker-dev.js";

const CLAUDE_TIMEOUT_MS = 60_000;
let tmp: string;
const running: GroveWorkerDev[] = [];

beforeAll(() => {
  if (!existsSync(claudeBin)) throw new Error(`${claudeBin} is missing: npm install`);
  tmp = mkdtempSync(join(tmpdir(), "grove-worker-claude-"));
});
afterAll(async () => {
  for (const dev of running) await dev.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** `grove worker init DIR ...flags`, then `grove worker dev DIR`. */
async function workerFor(name: string, flags: string[]): Promise<GroveWorkerDev> {
  const dir = join(tmp, name);
  const init = await runGrove(["worker", "init", dir, ...flags]);
  expect(init.code, init.stdout + init.stderr).toBe(0);
  const dev = await startGroveWorkerDev(dir);
  running.push(dev);
  return dev;
}

/** A git repository with one commit, and a HOME of its own. */
function workspace(name: string): { repo: string; home: string } {
  const repo = join(tmp, name, "repo");
  const home = join(tmp, name, "home");
  for (const dir of [repo, home]) mkdirSync(dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=grove-test", "-c", "user.email=test@grove.invalid", ...args], {
      cwd: repo,
      env: cleanEnv({ HOME: home }),
      stdio: "ignore",
    });
  git("init", "-q");
  git("commit", "-q", "--allow-empty", "-m", "initial");
  return { repo, home };
}

function runClaude(url: string, repo: string, home: string, apiKey: string, prompt: string) {
  return runProcess(
    claudeBin,
    ["-p", prompt, "--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions"],
    {
      cwd: repo,
      timeoutMs: CLAUDE_TIMEOUT_MS,
      env: cleanEnv({
        HOME: home,
        TMPDIR: home,
        ANTHROPIC_BASE_URL: url,
        ANTHROPIC_API_KEY: apiKey,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        IS_SANDBOX: "1",
      }),
    },
  );
}

/** Exit 0 and a successful `result` event, or a failure message with both sides' output. */
function expectSuccess(result: ProcessResult, dev: GroveWorkerDev): void {
  const why = `exit ${result.code} (${result.signal})\nstdout:\n${result.stdout.slice(-3000)}\nstderr:\n${result.stderr.slice(-3000)}\nworker log:\n${dev.stderr().slice(-3000)}`;
  expect(result.code, why).toBe(0);
  const events = result.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { type: string; is_error?: boolean });
  expect(events.find((event) => event.type === "result")?.is_error, why).toBe(false);
}

describe("Claude Code through the grove router as a Worker in workerd", () => {
  it(
    "writes GROVE_DEMO.md on the scripted demo model",
    async () => {
      const dev = await workerFor("demo", ["--demo"]);
      const { repo, home } = workspace("demo-run");
      const result = await runClaude(dev.url, repo, home, "anything", "Leave a note for the grove demo");
      expectSuccess(result, dev);
      expect(readFileSync(join(repo, "GROVE_DEMO.md"), "utf8")).toContain("# Hello from grove");
      expect(dev.stderr()).toMatch(/ → demo\/\S+ stream 200 /);
    },
    CLAUDE_TIMEOUT_MS + 30_000,
  );

  it(
    "writes hello.txt in key passthrough, its own key going to the upstream",
    async () => {
      const upstream = await startFakeChatUpstream();
      try {
        const { repo, home } = workspace("passthrough-run");
        const content = "hello through a Worker\n";
        // Stateless: a tool result present → final text; otherwise → a Write call.
        upstream.setResponder((req) =>
          (req.body.messages as { role: string }[]).some((message) => message.role === "tool")
            ? { type: "stream", chunks: textChunks("Created hello.txt.", 3) }
            : {
                type: "stream",
                chunks: toolCallChunks(
                  [
                    {
                      id: "call_w",
                      name: "Write",
                      arguments: JSON.stringify({ file_path: join(repo, "hello.txt"), content }),
                    },
                  ],
                  { fragments: 4 },
                ),
              },
        );
        const dev = await workerFor("passthrough", [
          "--upstream",
          upstream.baseUrl,
          "--model",
          "upstream-model",
        ]);
        const result = await runClaude(dev.url, repo, home, "users-own-provider-key", "create hello.txt");
        expectSuccess(result, dev);
        expect(readFileSync(join(repo, "hello.txt"), "utf8")).toBe(content);
        const chats = upstream.requests.filter((req) => req.path.startsWith("/v1/chat/completions"));
        expect(chats.length).toBeGreaterThanOrEqual(2);
        for (const req of chats) {
          expect(req.headers.authorization).toBe("Bearer users-own-provider-key");
          expect(req.body.model).toBe("upstream-model");
        }
      } finally {
        await upstream.close();
      }
    },
    CLAUDE_TIMEOUT_MS + 30_000,
  );
});
