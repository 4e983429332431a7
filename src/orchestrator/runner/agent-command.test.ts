import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  AgentNotInstalledError,
  builtinLaunch,
  claudeLaunch,
  codexLaunch,
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
  it("runs exec --json in the workspace-write sandbox with plugins and analytics off", () => {
    const launch = codexLaunch(
      { ...base, agent: "codex", prompt: "fix it", model: "gpt-5.5" },
      "/bin/codex",
      parentEnv,
    );
    expect(launch.args).toEqual([
      "exec",
      "--json",
      "-s",
      "workspace-write",
      "--skip-git-repo-check",
      "--disable",
      "plugins",
      "-c",
      "analytics.enabled=false",
      "-m",
      "gpt-5.5",
      "fix it",
    ]);
  });

  it("resumes a thread and bypasses the sandbox with yolo", () => {
    const spec = { ...base, agent: "codex" as const, yolo: true, resumeSessionId: "thread-1" };
    const launch = codexLaunch(spec, "codex", parentEnv);
    expect(launch.args).toContain("--dangerously-bypass-approvals-and-sandbox");
    expect(launch.args).not.toContain("workspace-write");
    expect(launch.args.slice(-4)).toEqual(["resume", "thread-1", "--", "-v looks like a flag"]);
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
