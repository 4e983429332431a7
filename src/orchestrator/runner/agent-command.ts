/** The command line and environment each kind of agent is started with. */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { CODEX_KEY_VARIABLE, codexProviderArgs, DEFAULT_CODEX_MODEL } from "../../node/codex-env.js";
import { findExecutable, packageRoot } from "../../node/paths.js";
import type { RouterConfig } from "../../router/config/config-schema.js";
import { selectRoute } from "../../router/config/select-route.js";
import type { RunnerSpec } from "./spec.js";

export interface AgentLaunch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export const INSTALL_COMMANDS = {
  claude: "npm install -g @anthropic-ai/claude-code@2.1.197",
  codex: "npm install -g @openai/codex@0.171.0",
} as const;

const AGENT_NAMES = { claude: "Claude Code", codex: "Codex" } as const;
const BIN_OVERRIDES = { claude: "GROVE_CLAUDE_BIN", codex: "GROVE_CODEX_BIN" } as const;

export class AgentNotInstalledError extends Error {}

/** grove's own CLI (dist/cli/main.js), which runs the built-in agent. */
export function groveCliPath(): string {
  return join(packageRoot, "dist", "cli", "main.js");
}

/** The agent's environment: the wrapper's, then the spec's additions. */
export function agentBaseEnv(spec: RunnerSpec, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, ...spec.env };
}

/**
 * The claude or codex executable: GROVE_CLAUDE_BIN / GROVE_CODEX_BIN when set, else PATH, else
 * grove's own node_modules/.bin. Throws AgentNotInstalledError, saying how to install it.
 */
export function locateAgentBinary(agent: "claude" | "codex", env: NodeJS.ProcessEnv): string {
  const variable = BIN_OVERRIDES[agent];
  const override = env[variable];
  const install = `install it with \`${INSTALL_COMMANDS[agent]}\``;
  if (override) {
    if (existsSync(override)) return override;
    throw new AgentNotInstalledError(
      `${AGENT_NAMES[agent]} was not found at ${override} (from ${variable}): fix ${variable} or ${install}`,
    );
  }
  const found = findExecutable(agent, env);
  if (found) return found;
  throw new AgentNotInstalledError(
    `${AGENT_NAMES[agent]} is not installed (no \`${agent}\` on PATH or in grove's node_modules): ${install}, ` +
      `or point ${variable} at it`,
  );
}

/**
 * `grove agent --json …`, with grove's state in the spec's GROVE_HOME. A task's model is
 * resolved by grove's router config, so a stray ANTHROPIC_BASE_URL in the daemon's environment
 * must not send it elsewhere.
 */
export function builtinLaunch(spec: RunnerSpec, env: NodeJS.ProcessEnv = process.env): AgentLaunch {
  const args = [groveCliPath(), "agent", "--json", "--cwd", spec.cwd];
  if (spec.model) args.push("--model", spec.model);
  if (spec.readOnly) args.push("--read-only");
  if (spec.resumeSessionId) args.push("--resume", spec.resumeSessionId);
  args.push("--", spec.prompt);
  return {
    command: process.execPath,
    args,
    // GROVE_TASK_ID: the agent's router logs its requests under this task (the Router view).
    env: {
      ...withoutDirectModel(agentBaseEnv(spec, env)),
      GROVE_HOME: spec.groveHome,
      GROVE_TASK_ID: spec.taskId,
    },
  };
}

function withoutDirectModel(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { ANTHROPIC_BASE_URL: _url, ANTHROPIC_API_KEY: _key, ...rest } = env;
  return rest;
}

export interface ClaudeLaunchOptions {
  /** ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY, … pointing at the wrapper's router. */
  routerEnv: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  isRoot?: boolean;
}

/**
 * `claude -p … --output-format stream-json --verbose`, permissions from the spec: acceptEdits
 * by default; yolo skips them (as root that also needs IS_SANDBOX=1, or Claude Code refuses).
 */
export function claudeLaunch(spec: RunnerSpec, bin: string, options: ClaudeLaunchOptions): AgentLaunch {
  const args = ["-p", "--output-format", "stream-json", "--verbose"];
  // Plan mode is Claude Code's read-only mode: it reads and answers but edits nothing.
  if (spec.readOnly) args.push("--permission-mode", "plan");
  else if (spec.yolo) args.push("--dangerously-skip-permissions");
  else args.push("--permission-mode", spec.permissionMode ?? "acceptEdits");
  if (spec.resumeSessionId) args.push("--resume", spec.resumeSessionId);
  args.push("--", spec.prompt);

  const { ANTHROPIC_AUTH_TOKEN: _token, ...inherited } = agentBaseEnv(spec, options.env);
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    ...options.routerEnv,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  };
  if (spec.model) env.ANTHROPIC_MODEL = spec.model;
  if (spec.yolo && !spec.readOnly && (options.isRoot ?? process.getuid?.() === 0)) env.IS_SANDBOX = "1";
  return { command: bin, args, env };
}

export interface CodexLaunchOptions {
  /** The wrapper's router (its base URL, without `/v1`) and its token. */
  routerUrl: string;
  routerToken: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * `codex exec --json` in the workspace-write sandbox (yolo: no sandbox) against the wrapper's
 * router: a `grove` provider (see codex-env.ts) without Codex's own retries, and `-m gpt-5.5`
 * whatever the task's model, since a known slug keeps Codex's classic tool set; the router maps
 * that slug to the task's model (codexRouterConfig). Codex keeps its state in a CODEX_HOME of the
 * task (`<taskDir>/codex-home`, unless the spec's env names one), so the user's Codex config is
 * neither needed nor touched, and resuming finds the thread. Its sandbox keeps .git read-only, so
 * the wrapper commits afterwards.
 */
export function codexLaunch(spec: RunnerSpec, bin: string, options: CodexLaunchOptions): AgentLaunch {
  const args = ["exec", "--json"];
  if (spec.readOnly) args.push("-s", "read-only");
  else if (spec.yolo) args.push("--dangerously-bypass-approvals-and-sandbox");
  else args.push("-s", "workspace-write");
  args.push("--skip-git-repo-check");
  args.push(...codexProviderArgs(options.routerUrl, { requestMaxRetries: 0, streamMaxRetries: 0 }));
  args.push("-m", DEFAULT_CODEX_MODEL);
  if (spec.resumeSessionId) args.push("resume", spec.resumeSessionId);
  // Codex's options must come before `resume`; `--` only where the prompt looks like an option.
  args.push(...(spec.prompt.startsWith("-") ? ["--", spec.prompt] : [spec.prompt]));

  const base = agentBaseEnv(spec, options.env);
  const codexHome = spec.env?.CODEX_HOME ?? join(spec.taskDir, "codex-home");
  const env: NodeJS.ProcessEnv = {
    ...base,
    CODEX_HOME: codexHome,
    [CODEX_KEY_VARIABLE]: options.routerToken,
  };
  // Codex refuses to set up its helper binaries under a CODEX_HOME inside the temp directory.
  if (isInside(codexHome, base.TMPDIR || tmpdir())) env.TMPDIR = join(spec.taskDir, "tmp");
  return { command: bin, args, env };
}

/**
 * The wrapper's router config for Codex: requests for DEFAULT_CODEX_MODEL go wherever the task's
 * model would (its explicit provider, its entry in `routes.models`, or the default route with
 * the model passed through). Without a task model, Codex's requests follow the config's routes.
 */
export function codexRouterConfig(config: RouterConfig, model: string | undefined): RouterConfig {
  if (!model || model === DEFAULT_CODEX_MODEL) return config;
  const { targets } = selectRoute(config, { model, messages: [] }, () => 0);
  const route = targets.map((target) => `${target.providerName}/${target.model}`);
  return {
    ...config,
    routes: { ...config.routes, models: { ...config.routes.models, [DEFAULT_CODEX_MODEL]: route } },
  };
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
