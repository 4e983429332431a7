/**
 * The mechanics every pipeline step shares: starting a role's run, saving state first, format
 * reminders, gates in the inbox, and the way into the review queue.
 */
import type { InboxItem } from "../inbox-store.js";
import type { RepoConfig } from "../repo-config.js";
import type { StoredEvent, Task } from "../task-store.js";
import type { PipelineHost } from "./pipeline-host.js";
import type { PipelineState, PipelineStore, Role, Step } from "./pipeline-state.js";
import { headCommit } from "./step-inputs.js";
import { renderTemplate } from "./templates.js";

/** Steps that belong to one chunk of the plan, whose number the log shows. */
const CHUNK_STEPS = new Set<Step>(["implement", "fix", "review"]);

export type GateAbout = NonNullable<PipelineState["gate"]>["about"];

export interface StepRun {
  role: Role;
  prompt: string;
  readOnly?: boolean;
  /** Continue the role's previous session (the architect across brainstorm, spec and plan). */
  resume?: boolean;
  /** Start the role over: a new implementer per chunk. */
  fresh?: boolean;
  commitMessage?: string;
}

export abstract class PipelineCore {
  constructor(
    protected readonly host: PipelineHost,
    protected readonly store: PipelineStore,
  ) {}

  /** Which agent and model play a role: the repository's choice, else the task's own. */
  protected roleChoice(task: Task, config: RepoConfig, role: Role) {
    const roles = config.pipeline.roles;
    const chosen = roles[role] ?? (role === "reviewer" ? roles.architect : undefined) ?? {};
    return { agent: chosen.agent ?? task.agent, model: chosen.model ?? task.model };
  }

  protected startStep(task: Task, state: PipelineState, config: RepoConfig, step: Step, run: StepRun): void {
    if (run.fresh) delete state.sessions[run.role];
    const session = run.resume ? state.sessions[run.role] : undefined;
    state.step = step;
    state.gate = undefined;
    state.lastRun = { ...run, ...(session ? { session } : {}) };
    this.store.save(task.id, state);
    this.host.log(task.id, "pipeline_step", {
      step,
      role: run.role,
      ...(CHUNK_STEPS.has(step) && state.chunks > 0 ? { chunk: state.chunk + 1, chunks: state.chunks } : {}),
      ...(CHUNK_STEPS.has(step) && state.round > 0 ? { round: state.round } : {}),
    });
    const choice = this.roleChoice(task, config, run.role);
    const current = this.host.tasks.get(task.id)!;
    state.run = this.host.startRun(
      current,
      {
        role: run.role,
        prompt: run.prompt,
        agent: choice.agent,
        model: choice.model,
        readOnly: run.readOnly ?? false,
        ...(session ? { resumeSessionId: session } : {}),
        ...(run.readOnly ? {} : { commitMessage: run.commitMessage ?? stepCommitMessage(task, state, step) }),
      },
      config,
    );
    this.store.save(task.id, state);
  }

  /** The step's agent answered out of format: remind it once or twice in the same session. */
  protected async nudge(
    task: Task,
    state: PipelineState,
    config: RepoConfig,
    step: Step,
    problem: string,
  ): Promise<void> {
    const role = roleOf(step) ?? "implementer";
    const prompt = await renderTemplate(task.repo, "nudge", { step, problem });
    this.startStep(task, state, config, step, {
      role,
      prompt,
      resume: true,
      readOnly: role === "reviewer" || step === "brainstorm",
    });
  }

  /** Waits for the user: an inbox item, the task waiting for input, and no agent running. */
  protected gate(task: Task, state: PipelineState, about: GateAbout, resume: Step, text: string): void {
    const kind = about === "question" || about === "report" ? "question" : "gate";
    const item = this.host.inbox.open(task.id, kind, about, text);
    state.gate = { item: item.id, about, resume };
    state.step = "gate";
    this.store.save(task.id, state);
    this.host.log(task.id, "inbox_opened", { item: item.id, kind: item.kind, about, text });
    this.host.setState(task.id, "waiting-for-input", { pid: null });
    this.host.schedule();
  }

  /** Into the review queue. */
  protected ready(task: Task, state: PipelineState, note?: string): void {
    state.step = "ready";
    state.gate = undefined;
    state.triage = undefined;
    this.store.save(task.id, state);
    this.host.log(task.id, "pipeline_step", { step: "ready", ...(note ? { note } : {}) });
    this.host.setState(task.id, "done", { pid: null, finishedAt: new Date().toISOString() });
    this.host.schedule();
  }

  protected head(task: Task): Promise<string> {
    return headCommit(task);
  }

  /**
   * `grove resume` of a step whose run was cut short: the agent's session (if it got as far as
   * starting one) continues where it stopped; otherwise the step's run starts again as it was.
   */
  protected async rerun(task: Task, state: PipelineState, config: RepoConfig): Promise<void> {
    const last = state.lastRun;
    if (!last) throw new Error(`task ${task.id}'s pipeline has no run to repeat`);
    const { session: _previous, ...run } = last;
    const cutShort = sessionOfLastRun(this.host.tasks.events(task.id));
    if (!cutShort)
      return this.startStep(task, state, config, state.step, { ...run, fresh: false, resume: false });
    state.sessions[run.role] = cutShort;
    const prompt = await renderTemplate(task.repo, "continue", { step: state.step });
    this.startStep(task, state, config, state.step, { ...run, prompt, fresh: false, resume: true });
  }

  /** Ends the task as failed with `error`, saving its pipeline state. */
  protected failTask(task: Task, state: PipelineState, error: string): void {
    state.nudges = 0;
    this.store.save(task.id, state);
    this.host.setState(task.id, "failed", { error, pid: null, finishedAt: new Date().toISOString() });
    this.host.schedule();
  }

  /** An inbox item of this task's pipeline was answered, approved or revised. */
  abstract onResolved(task: Task, item: InboxItem): Promise<void>;
}

/** What a step's commit says when the plan does not say it (chunks use their tasks' lines). */
function stepCommitMessage(task: Task, state: PipelineState, step: Step): string {
  const idea = task.prompt.split("\n")[0]!.slice(0, 60);
  const subjects: Partial<Record<Step, string>> = {
    spec: `Design: ${idea}`,
    plan: `Plan: ${idea}`,
    implement: task.prompt.split("\n")[0]!.slice(0, 72),
    fix: state.triage
      ? "Fix the accepted findings of an external review"
      : `Address review findings (chunk ${state.chunk + 1}, round ${state.round})`,
    "final-fix": "Address the final review's findings",
    "verify-fix": "Fix the failing tests",
  };
  return `${subjects[step] ?? idea}\n\ngrove task ${task.id} (${step})`;
}

/** The agent session the task's latest run started, if it got that far. */
function sessionOfLastRun(events: StoredEvent[]): string | undefined {
  const start = events.findLast((event) => event.type === "run_started")?.seq ?? 0;
  const started = events.findLast((event) => event.type === "session_started" && event.seq > start);
  const session = started?.body.session;
  return typeof session === "string" ? session : undefined;
}

/** The role whose agent runs at each step. */
export function roleOf(step: Step): Role | undefined {
  if (step === "brainstorm" || step === "spec" || step === "plan") return "architect";
  if (step === "review" || step === "final-review" || step === "triage") return "reviewer";
  if (step === "implement" || step === "fix" || step === "final-fix" || step === "verify-fix")
    return "implementer";
  return undefined;
}
