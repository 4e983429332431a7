/**
 * End to end with the real Codex CLI (0.171.0, a devDependency) over the Responses API:
 * Codex → grove router → a scripted chat model, once with an `exec_command` function call and
 * once (through `grove codex`) with a freeform `apply_patch` call, each creating a file.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codexArguments } from "../../src/cli/commands/codex.js";
import {
  assertBuilt,
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

const codexBin = fileURLToPath(new URL("../../node_modules/.bin/codex", import.meta.url));
const CODEX_TIMEOUT_MS = 60_000;
const FINAL_TEXT = "Done: created hello.txt";
const PATCH = "*** Begin Patch\n*** Add File: patched.txt\n+patched by grove\n*** End Patch\n";

let upstream: FakeChatUpstream;
let router: GroveRouterProcess;
let tmp: string;

beforeAll(async () => {
  assertBuilt();
  if (!existsSync(codexBin)) throw new Error(`${codexBin} is missing: npm install`);
  tmp = mkdtempSync(join(tmpdir(), "grove-codex-e2e-"));
  upstream = await startFakeChatUpstream();
  // Stateless: a tool result present → final text; otherwise → an exec_command call.
  upstream.setResponder((req) => {
    const messages: Array<{ role: string }> = req.body.messages ?? [];
    if (messages.some((message) => message.role === "tool")) {
      return { type: "stream", chunks: textChunks(FINAL_TEXT, 3) };
    }
    const args = JSON.stringify({ cmd: "printf 'hello from grove\\n' > hello.txt" });
    return {
      type: "stream",
      chunks: toolCallChunks([{ id: "call_e2e_exec", name: "exec_command", arguments: args }], {
        fragments: 4,
      }),
    };
  });
  router = await startGroveRouter(
    ["--upstream", upstream.baseUrl, "--upstream-key", "upstream-secret", "--port", "0"],
    {
      env: cleanEnv({ GROVE_HOME: join(tmp, "router-home") }),
    },
  );
}, 30_000);

afterAll(async () => {
  killAllChildren();
  await upstream?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

let runCount = 0;

/** A fresh git repo with one commit; HOME, CODEX_HOME and TMPDIR beside it (TMPDIR must not hold CODEX_HOME). */
function makeWorkspace() {
  runCount += 1;
  const root = join(tmp, `run-${runCount}`);
  const repo = join(root, "repo");
  const home = join(root, "home");
  const codexHome = join(home, ".codex");
  const scratch = join(root, "scratch");
  for (const dir of [repo, codexHome, scratch]) mkdirSync(dir, { recursive: true });
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
  return { root, repo, env: { HOME: home, CODEX_HOME: codexHome, TMPDIR: scratch } };
}

interface CodexEvent {
  type: string;
  item?: { type: string; text?: string; status?: string; exit_code?: number | null; changes?: unknown[] };
  [key: string]: unknown;
}

function parseEvents(stdout: string): CodexEvent[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim().startsWith("{"))
    .map((line) => JSON.parse(line) as CodexEvent);
}

function describeRun(result: ProcessResult, log = router.stderr()): string {
  return `exit ${result.code} (${result.signal})\nstdout:\n${result.stdout.slice(-4000)}\nstderr:\n${result.stderr.slice(-4000)}\nrouter log:\n${log.slice(-4000)}`;
}

/** Exit 0, a completed turn without errors or reconnects, and the item kind the call produced. */
function expectSuccess(
  result: ProcessResult,
  why: string,
  itemType: string,
  finalText: string,
): CodexEvent[] {
  expect(result.code, why).toBe(0);
  const events = parseEvents(result.stdout);
  expect(
    events.map((event) => event.type),
    why,
  ).toContain("turn.completed");
  expect(
    events.filter((event) => event.type === "error" || event.type === "turn.failed"),
    why,
  ).toEqual([]);
  const completed = events.filter((event) => event.type === "item.completed").map((event) => event.item!);
  expect(completed.find((item) => item.type === itemType)?.status, why).toBe("completed");
  expect(completed.find((item) => item.type === "agent_message")?.text, why).toBe(finalText);
  return events;
}

function chatRequests(from: number): RecordedRequest[] {
  return upstream.requests.slice(from).filter((req) => req.path.startsWith("/v1/chat/completions"));
}

describe("Codex CLI through the grove router", () => {
  it(
    "runs an exec_command function call that creates hello.txt",
    async () => {
      const { repo, env } = makeWorkspace();
      const from = upstream.requests.length;
      const result = await runProcess(
        codexBin,
        [
          "exec",
          "--json",
          "-s",
          "workspace-write",
          "-m",
          "gpt-5.5",
          "-c",
          "model_provider=grove",
          "-c",
          `model_providers.grove={name="grove",base_url="${router.url}/v1",env_key="GROVE_E2E_KEY",wire_api="responses",stream_max_retries=0,request_max_retries=0}`,
          "--disable",
          "plugins",
          "-c",
          "analytics.enabled=false",
          "create hello.txt",
        ],
        { cwd: repo, timeoutMs: CODEX_TIMEOUT_MS, env: cleanEnv({ ...env, GROVE_E2E_KEY: "dummy" }) },
      );
      const why = describeRun(result);
      expectSuccess(result, why, "command_execution", FINAL_TEXT);
      expect(readFileSync(join(repo, "hello.txt"), "utf8")).toBe("hello from grove\n");

      const sent = chatRequests(from);
      expect(sent, why).toHaveLength(2);
      for (const req of sent) {
        expect(req.body.model).toBe("gpt-5.5");
        expect(req.headers.authorization).toBe("Bearer upstream-secret");
        expect(req.body.stream).toBe(true);
      }
      const tools = (
        sent[0]!.body.tools as { function: { name: string; parameters: { required?: string[] } } }[]
      ).map((tool) => tool.function);
      expect(tools.map((tool) => tool.name)).toContain("exec_command");
      expect(tools.find((tool) => tool.name === "apply_patch")?.parameters.required).toEqual(["input"]);
      expect(tools.map((tool) => tool.name)).not.toContain("web_search");
      const second = sent[1]!.body.messages as { role: string; tool_call_id?: string; content: unknown }[];
      expect(second[second.length - 1]).toMatchObject({ role: "tool", tool_call_id: "call_e2e_exec" });
      expect(String(second[second.length - 1]!.content)).toContain("Process exited with code 0");
      expect(router.stderr()).toMatch(/gpt-5\.5 → \S+ stream 200 /);
    },
    CODEX_TIMEOUT_MS + 10_000,
  );

  it(
    "`grove codex` runs an apply_patch custom tool call that creates patched.txt",
    async () => {
      const { root, repo, env } = makeWorkspace();
      const groveHome = join(root, "grove-home");
      mkdirSync(groveHome, { recursive: true });
      // A scripted model, and a port nobody listens on, so grove starts its own session router.
      writeFileSync(
        join(groveHome, "router.json"),
        JSON.stringify({
          providers: {
            scripted: {
              type: "script",
              script: {
                name: "codex-e2e",
                replies: [
                  { when: { lastToolResultContains: "Success" }, text: "Done: patched", repeat: true },
                  {
                    when: { hasTool: "apply_patch" },
                    toolCalls: [{ id: "call_e2e_patch", name: "apply_patch", arguments: { input: PATCH } }],
                    repeat: true,
                  },
                ],
              },
            },
          },
          routes: { default: "scripted/codex-script" },
          server: { port: await freePort() },
        }),
      );
      const result = await runProcess(
        process.execPath,
        [groveMain, "codex", "exec", "--json", "-s", "workspace-write", "add patched.txt"],
        {
          cwd: repo,
          timeoutMs: CODEX_TIMEOUT_MS,
          // Pin the devDependency rather than whatever `codex` is on PATH.
          env: cleanEnv({ ...env, GROVE_HOME: groveHome, GROVE_CODEX_BIN: codexBin }),
        },
      );
      const logFile = join(groveHome, "logs", "router.log");
      const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
      const why = describeRun(result, log);
      const events = expectSuccess(result, why, "file_change", "Done: patched");
      const change = events.find((event) => event.item?.type === "file_change")?.item;
      expect(change?.changes, why).toEqual([{ path: join(repo, "patched.txt"), kind: "add" }]);
      expect(readFileSync(join(repo, "patched.txt"), "utf8")).toBe("patched by grove\n");
      // The session router logged to $GROVE_HOME/logs/router.log; `-m gpt-5.5` was added.
      expect(log).toMatch(/gpt-5\.5 → scripted\/codex-script stream 200 /);
      expect(log).toContain("dropped hosted tools tool_search, web_search");
    },
    CODEX_TIMEOUT_MS + 10_000,
  );
});

describe("the arguments `grove codex` gives Codex", () => {
  const url = "http://127.0.0.1:3456";
  const provider = [
    "-c",
    "model_provider=grove",
    "-c",
    `model_providers.grove={name="grove",base_url="${url}/v1",env_key="GROVE_ROUTER_KEY",wire_api="responses"}`,
    "--disable",
    "plugins",
    "-c",
    "analytics.enabled=false",
  ];

  it("puts the provider and -m gpt-5.5 after exec, or first for the interactive CLI", () => {
    expect(codexArguments(url, ["exec", "--json", "hi"])).toEqual([
      "exec",
      ...provider,
      "-m",
      "gpt-5.5",
      "--json",
      "hi",
    ]);
    expect(codexArguments(url, ["fix the bug"])).toEqual([...provider, "-m", "gpt-5.5", "fix the bug"]);
    expect(codexArguments(url, ["-s", "workspace-write", "e", "hi"])).toEqual([
      "-s",
      "workspace-write",
      "e",
      ...provider,
      "-m",
      "gpt-5.5",
      "hi",
    ]);
  });

  it("keeps the user's model, and adds no model to other subcommands", () => {
    for (const chosen of [["-m", "gpt-5.6-sol"], ["--model=o3"], ["-c", "model=o3"]]) {
      expect(codexArguments(url, ["exec", ...chosen, "hi"])).toEqual(["exec", ...provider, ...chosen, "hi"]);
    }
    expect(codexArguments(url, ["login", "status"])).toEqual([...provider, "login", "status"]);
  });
});
