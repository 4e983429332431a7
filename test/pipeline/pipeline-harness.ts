/**
 * Helpers for the pipeline's end-to-end tests, on top of the orchestrator harness: one scripted
 * model per role (architect, implementer, reviewer) in `$GROVE_HOME/router.json`, a sample
 * repository whose `.grove/config.json` assigns those models to the roles, and readers for what
 * a pipeline leaves behind (run specs with their prompts, artifacts, the pipeline view, commits).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { InboxItem } from "../../src/orchestrator/inbox-store.js";
import type { PipelineState } from "../../src/orchestrator/pipeline/pipeline-state.js";
import type { RunnerSpec } from "../../src/orchestrator/runner/spec.js";
import type { ScriptMatcher, ScriptReply } from "../../src/router/script/script-schema.js";
import {
  api,
  eventsOf,
  expectSettled,
  git,
  groveOk,
  type Sandbox,
  type StoredEvent,
  sampleRepo,
  type Task,
  taskEvents,
  waitFor,
  waitForTask,
} from "../orchestrator/harness.js";

export const ROLE_MODELS = { architect: "arch/m", implementer: "impl/m", reviewer: "rev/m" } as const;

export interface RoleScripts {
  architect: ScriptReply[];
  implementer: ScriptReply[];
  reviewer: ScriptReply[];
}

/** US dollars per million tokens: a dear architect, a cheap implementer, an unpriced reviewer. */
export const ARCHITECT_PRICE = { input: 15, output: 75 };
export const IMPLEMENTER_PRICE = { input: 0.5, output: 2 };

/** A request that reached no role's script: fail loudly instead of answering something. */
const UNROUTED: ScriptReply = {
  repeat: true,
  status: 500,
  error: "this request reached no role's script: the pipeline ran a step without its role's model",
};

/**
 * `$GROVE_HOME/router.json` with providers `arch`, `impl` and `rev`, each a script file beside the
 * config (`scripts/<role>.json`, resolved relative to it). The default route and `demo` both fail,
 * so a run that is not routed to its role's model cannot pass by accident.
 */
export function useRoleScripts(sandbox: Sandbox, scripts: RoleScripts): void {
  for (const role of ["architect", "implementer", "reviewer"] as const)
    replaceRoleScript(sandbox, role, scripts[role]);
  const config = {
    providers: {
      arch: { type: "script", script: "scripts/architect.json", pricing: { "*": ARCHITECT_PRICE } },
      impl: { type: "script", script: "scripts/implementer.json", pricing: { m: IMPLEMENTER_PRICE } },
      rev: { type: "script", script: "scripts/reviewer.json" }, // No price: no cost, never a guess.
      demo: { type: "script", script: { name: "unrouted", replies: [UNROUTED] } },
    },
    routes: { default: "demo" },
    log: { level: "silent" },
  };
  writeFileSync(join(sandbox.home, "router.json"), JSON.stringify(config, null, 2));
}

/** Rewrites one role's script file; every agent run reads it afresh (a provider fixed in between). */
export function replaceRoleScript(sandbox: Sandbox, role: keyof RoleScripts, replies: ScriptReply[]): void {
  const dir = join(sandbox.home, "scripts");
  mkdirSync(dir, { recursive: true });
  const script = { name: role, replies: replies.length > 0 ? replies : [UNROUTED] };
  writeFileSync(join(dir, `${role}.json`), JSON.stringify(script, null, 2));
}

/**
 * The sample repository (greet.js and a `node --test` suite) whose grove config gives each role
 * its scripted model; `pipeline` adds or overrides pipeline settings (chunkSize, reviewRounds, …).
 */
export function pipelineRepo(
  sandbox: Sandbox,
  pipeline: Record<string, unknown> = {},
  concurrency = 3,
): Promise<string> {
  const roles = Object.fromEntries(
    Object.entries(ROLE_MODELS).map(([role, model]) => [role, { agent: "builtin", model }]),
  );
  return sampleRepo(sandbox, "repo", {
    test: "node --test",
    concurrency,
    pipeline: { roles, ...pipeline },
  });
}

/** `grove plan <args…>` in `repo`; resolves with the new task's id. */
export async function startPlan(sandbox: Sandbox, repo: string, ...args: string[]): Promise<number> {
  return Number((await groveOk(sandbox, ["plan", ...args], { cwd: repo })).trim());
}

// ---------------------------------------------------------------------------------------------
// Script building blocks, in the style of src/router/script/demo-pipeline-script.ts

/** The step's marker in the newest user message (every pipeline prompt starts with one). */
export const step = (name: string, extra: Omit<ScriptMatcher, "lastUserContains"> = {}): ScriptMatcher => ({
  ...extra,
  lastUserContains: `(grove step: ${name})`,
});

/** A reply that may serve any number of matching requests, streamed in small fast chunks. */
export const reply = (when: ScriptMatcher, rest: Omit<ScriptReply, "when" | "repeat">): ScriptReply => ({
  when,
  repeat: true,
  chunkDelayMs: 1,
  chunkSize: 200,
  ...rest,
});

/** Tool calls, written compactly. */
export const write = (path: string, content: string) => ({ name: "write", arguments: { path, content } });
export const edit = (path: string, oldString: string, newString: string) => ({
  name: "edit",
  arguments: { path, old_string: oldString, new_string: newString },
});
export const bash = (command: string) => ({ name: "bash", arguments: { command } });
export const read = (path: string) => ({ name: "read", arguments: { path } });
export const grep = (pattern: string, path: string) => ({ name: "grep", arguments: { pattern, path } });

/** Writes the spec (or plan) where the prompt names it. */
export const SPEC_PATH = "{{user:(\\S+-design\\.md)}}";
export const PLAN_PATH = "{{user:(\\S+-plan\\.md)}}";

// ---------------------------------------------------------------------------------------------
// What a pipeline leaves behind

export interface RoleCost {
  model: string | null;
  input: number;
  output: number;
  runs: number;
  costUsd: number | null;
}

export interface PipelineView {
  pipeline: PipelineState | null;
  costs: Partial<Record<"architect" | "implementer" | "reviewer", RoleCost>>;
  inbox: InboxItem[];
}

export const pipelineView = (sandbox: Sandbox, id: number): Promise<PipelineView> =>
  api<PipelineView>(sandbox, "GET", `/api/tasks/${id}/pipeline`);

export type ListedItem = InboxItem & { task: { id: number; branch: string; state: string } | null };

/** `grove inbox --json`. */
export async function inboxJson(sandbox: Sandbox): Promise<ListedItem[]> {
  return JSON.parse(await groveOk(sandbox, ["inbox", "--json"])) as ListedItem[];
}

export interface RunRecord extends RunnerSpec {
  run: number;
  /** The `(grove step: …)` the prompt starts with; "" for a prompt without one. */
  step: string;
}

/** Every run the daemon started for the task, in order, from its `spec-<n>.json` files. */
export function runsOf(task: Task): RunRecord[] {
  return readdirSync(task.taskDir)
    .map((name) => /^spec-(\d+)\.json$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => {
      const spec = JSON.parse(readFileSync(join(task.taskDir, match[0]), "utf8")) as RunnerSpec;
      return {
        ...spec,
        run: Number(match[1]),
        step: /^\(grove step: ([\w-]+)\)/.exec(spec.prompt)?.[1] ?? "",
      };
    })
    .sort((a, b) => a.run - b.run);
}

export function artifact(task: Task, name: string): string {
  return readFileSync(join(task.taskDir, "pipeline", name), "utf8");
}

export function artifactNames(task: Task): string[] {
  return readdirSync(join(task.taskDir, "pipeline")).sort();
}

/** The steps the pipeline started, in order (`pipeline_step` events), e.g. `implement 1/2`. */
export function stepTrail(events: StoredEvent[]): string[] {
  return eventsOf(events, "pipeline_step").map((event) => {
    const body = event.body as { step: string; chunk?: number; chunks?: number; round?: number };
    const chunk = body.chunk ? ` ${body.chunk}/${body.chunks}` : "";
    const round = body.round ? ` r${body.round}` : "";
    return `${body.step}${chunk}${round}`;
  });
}

export interface BranchCommit {
  hash: string;
  subject: string;
  body: string;
  files: string[];
}

/** The task branch's own commits (base..branch), oldest first, with the files each one touched. */
export function branchCommits(repo: string, task: Task): BranchCommit[] {
  const hashes = git(repo, ["rev-list", "--reverse", `${task.baseCommit}..${task.branch}`])
    .split("\n")
    .filter(Boolean);
  return hashes.map((hash) => ({
    hash,
    subject: git(repo, ["log", "-1", "--format=%s", hash]),
    body: git(repo, ["log", "-1", "--format=%b", hash]),
    files: git(repo, ["diff-tree", "--no-commit-id", "--name-only", "-r", hash]).split("\n").filter(Boolean),
  }));
}

/** Polls the pipeline view until `accept` holds. */
export async function waitForPipeline(
  sandbox: Sandbox,
  id: number,
  accept: (view: PipelineView, task: Task) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<PipelineView> {
  let view: PipelineView | undefined;
  await waitFor(
    async () => {
      const [current, task] = await Promise.all([
        pipelineView(sandbox, id).catch(() => undefined),
        api<Task>(sandbox, "GET", `/api/tasks/${id}`).catch(() => undefined),
      ]);
      view = current;
      return current !== undefined && task !== undefined && accept(current, task);
    },
    timeoutMs,
    () => `${what} (pipeline at ${view?.pipeline?.step ?? "?"})`,
    150,
  );
  return view!;
}

/** The task's events of one type, fetched fresh. */
export async function eventsOfType(sandbox: Sandbox, id: number, type: string): Promise<StoredEvent[]> {
  return eventsOf(await taskEvents(sandbox, id), type);
}

/**
 * Waits (long: a pipeline is many runs) for the task to settle, and asserts it ended `state`;
 * the error carries the task's log, its agents' stderr and its wrappers' log.
 */
export async function settle(sandbox: Sandbox, id: number, state: Task["state"], timeoutMs = 150_000) {
  const task = await waitForTask(sandbox, id, undefined, timeoutMs);
  try {
    return await expectSettled(sandbox, id, state);
  } catch (error) {
    const wrapperLog = join(task.taskDir, "wrapper.log");
    const wrapper = existsSync(wrapperLog) ? readFileSync(wrapperLog, "utf8").slice(-4_000) : "";
    (error as Error).message += `\nwrapper log: ${wrapper}`;
    throw error;
  }
}
