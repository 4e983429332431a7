import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveRouterConfig } from "../../router/config/resolve-config.js";
import {
  AgentNotInstalledError,
  builtinLaunch,
  claudeLaunch,
  codexLaunch,
  codexRouterConfig,
  groveCliPath,
  locateAgentBinary,
} from "./agent-command.js";
import type { RunnerSpec } from "./spec.js";

const base: RunnerSpec = {
  taskId: "7",
  agent: "claude",
  prompt: "-v looks like a flag",
  cwd: "/work/wt",
  taskDir: "/work/task",
  commitMessage: "grove: task 7",
  groveHome: "/work/home",
};
const routerEnv = { ANTHROPIC_BASE_URL: "http://127.0.0.1:1", ANTHROPIC_API_KEY: "tok" };
const parentEnv = { PATH: "/usr/bin", ANTHROPIC_AUTH_TOKEN: "secret", HOME: "/root" };

const tmp = mkdtempSync(join(tmpdir(), "grove-agent-command-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("claudeLaunch", () => {
  it("runs in print mode with stream-json, acceptEdits by default, and the prompt after --", () => {
    const launch = claudeLaunch(base, "/bin/claude", { routerEnv, env: parentEnv, isRoot: true });
    expect(launch.command).toBe("/bin/claude");
    expect(launch.args).toEqual([
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--permission-mode",
      "acceptEdits",
      "--",
      "-v looks like a flag",
    ]);
    expect(launch.env).toMatchObject({
      ...routerEnv,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      HOME: "/root",
    });
    expect(launch.env.ANTHROPIC_AUTH_TOKEN).toBeUndefined();
    expect(launch.env.ANTHROPIC_MODEL).toBeUndefined();
    expect(launch.env.IS_SANDBOX).toBeUndefined();
  });

  it("skips permissions with yolo, adding IS_SANDBOX=1 only as root", () => {
    const spec = { ...base, yolo: true, permissionMode: "plan" };
    const asRoot = claudeLaunch(spec, "claude", { routerEnv, env: parentEnv, isRoot: true });
    expect(asRoot.args).toContain("--dangerously-skip-permissions");
    expect(asRoot.args).not.toContain("--permission-mode");
    expect(asRoot.env.IS_SANDBOX).toBe("1");
    const asUser = claudeLaunch(spec, "claude", { routerEnv, env: parentEnv, isRoot: false });
    expect(asUser.env.IS_SANDBOX).toBeUndefined();
  });

  it("resumes, sets the model, and lets the spec's env (HOME, PORT) through", () => {
    const spec = {
      ...base,
      permissionMode: "default",
      resumeSessionId: "abc",
      model: "demo",
      env: { HOME: "/tmp/h", PORT: "4100" },
    };
    const launch = claudeLaunch(spec, "claude", { routerEnv, env: parentEnv, isRoot: false });
    expect(launch.args).toEqual(expect.arrayContaining(["--permission-mode", "default", "--resume", "abc"]));
    expect(launch.env).toMatchObject({ ANTHROPIC_MODEL: "demo", HOME: "/tmp/h", PORT: "4100" });
  });
});

describe("codexLaunch", () => {
  const router = {
    routerUrl: "http://127.0.0.1:4567",
    routerToken: "run-token",
    env: { ...parentEnv, TMPDIR: "/tmp" },
  };

  it("runs exec --json in the workspace-write sandbox against the wrapper's router as gpt-5.5", () => {
    const launch = codexLaunch(
      { ...base, agent: "codex", prompt: "fix it", model: "openrouter/qwen/qwen3-coder" },
      "/bin/codex",
      router,
    );
    expect(launch.command).toBe("/bin/codex");
    expect(launch.args).toEqual([
      "exec",
      "--json",
      "-s",
      "workspace-write",
      "--skip-git-repo-check",
      "-c",
      "model_provider=grove",
      "-c",
      'model_providers.grove={name="grove",base_url="http://127.0.0.1:4567/v1",env_key="GROVE_ROUTER_KEY",wire_api="responses",request_max_retries=0,stream_max_retries=0}',
      "--disable",
      "plugins",
      "-c",
      "analytics.enabled=false",
      "-m",
      "gpt-5.5",
      "fix it",
    ]);
    expect(launch.env).toMatchObject({
      GROVE_ROUTER_KEY: "run-token",
      CODEX_HOME: "/work/task/codex-home",
      HOME: "/root",
    });
  });

  it("resumes a thread and bypasses the sandbox with yolo", () => {
    const spec = { ...base, agent: "codex" as const, yolo: true, resumeSessionId: "thread-1" };
    const launch = codexLaunch(spec, "codex", router);
    expect(launch.args).toContain("--dangerously-bypass-approvals-and-sandbox");
    expect(launch.args).not.toContain("workspace-write");
    expect(launch.args.slice(-4)).toEqual(["resume", "thread-1", "--", "-v looks like a flag"]);
  });

  it("keeps the spec's CODEX_HOME, and moves TMPDIR when it would contain CODEX_HOME", () => {
    const spec = { ...base, agent: "codex" as const, env: { CODEX_HOME: "/work/codex" } };
    expect(codexLaunch(spec, "codex", router).env.CODEX_HOME).toBe("/work/codex");
    expect(codexLaunch(spec, "codex", router).env.TMPDIR).toBe("/tmp");
    const inTmp = { ...base, agent: "codex" as const, taskDir: "/scratch/tasks/7" };
    const launch = codexLaunch(inTmp, "codex", { ...router, env: { ...parentEnv, TMPDIR: "/scratch" } });
    expect(launch.env).toMatchObject({
      CODEX_HOME: "/scratch/tasks/7/codex-home",
      TMPDIR: "/scratch/tasks/7/tmp",
    });
    const elsewhere = codexLaunch(inTmp, "codex", { ...router, env: { ...parentEnv, TMPDIR: "/scratch-2" } });
    expect(elsewhere.env.TMPDIR).toBe("/scratch-2");
  });
});

describe("codexRouterConfig", () => {
  const config = resolveRouterConfig(
    {
      providers: {
        demo: { type: "script", script: "builtin:demo" },
        local: { type: "openai-chat", baseUrl: "http://127.0.0.1:1/v1" },
      },
      routes: { default: "local", models: { fast: ["local/small", "demo"] } },
    },
    {},
  );
  const route = (model: string | undefined) => codexRouterConfig(config, model).routes.models?.["gpt-5.5"];

  it("sends gpt-5.5 wherever the task's model would go", () => {
    expect(route("demo")).toEqual(["demo/demo"]);
    expect(route("local/big")).toEqual(["local/big"]);
    expect(route("fast")).toEqual(["local/small", "demo/fast"]);
    expect(route("qwen3")).toEqual(["local/qwen3"]);
    expect(codexRouterConfig(config, "demo").routes.models?.fast).toEqual(["local/small", "demo"]);
  });

  it("leaves the config alone without a task model", () => {
    expect(codexRouterConfig(config, undefined)).toBe(config);
  });
});

describe("builtinLaunch", () => {
  it("runs grove agent --json with the spec's GROVE_HOME", () => {
    const spec = {
      ...base,
      agent: "builtin" as const,
      model: "demo",
      resumeSessionId: "ses_1",
      env: { PORT: "1" },
    };
    const launch = builtinLaunch(spec, parentEnv);
    expect(launch.command).toBe(process.execPath);
    expect(launch.args).toEqual([
      groveCliPath(),
      "agent",
      "--json",
      "--cwd",
      "/work/wt",
      "--model",
      "demo",
      "--resume",
      "ses_1",
      "--",
      "-v looks like a flag",
    ]);
    expect(launch.env).toMatchObject({ GROVE_HOME: "/work/home", PORT: "1" });
    expect(groveCliPath()).toMatch(/dist\/cli\/main\.js$/);
  });
});

describe("locateAgentBinary", () => {
  it("uses the override variable when it exists", () => {
    const bin = join(tmp, "my-claude");
    writeFileSync(bin, "#!/bin/sh\n", { mode: 0o755 });
    expect(locateAgentBinary("claude", { GROVE_CLAUDE_BIN: bin, PATH: "" })).toBe(bin);
  });

  it("finds the binary on PATH", () => {
    const bin = join(tmp, "codex");
    writeFileSync(bin, "#!/bin/sh\n", { mode: 0o755 });
    expect(locateAgentBinary("codex", { PATH: tmp })).toBe(bin);
  });

  it("says how to install it when the override points nowhere", () => {
    expect(() => locateAgentBinary("codex", { GROVE_CODEX_BIN: join(tmp, "nope"), PATH: "" })).toThrow(
      AgentNotInstalledError,
    );
    expect(() => locateAgentBinary("codex", { GROVE_CODEX_BIN: join(tmp, "nope"), PATH: "" })).toThrow(
      /npm install -g @openai\/codex@0\.171\.0/,
    );
  });
});
