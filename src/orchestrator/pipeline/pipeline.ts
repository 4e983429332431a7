/**
 * The pipelines of the maintenance and feature lanes: a sequence of agent runs (architect,
 * implementer, reviewer) with gates for the user in between. Every transition is saved before
 * the next run starts, and a finished run is handled once (by its number), so a daemon that
 * restarts mid-pipeline continues at the step where it stopped.
 *
 *   feature:     brainstorm ⇄ questions → spec → (gate) → plan ⇄ lint → per chunk:
 *                implement → review ⇄ fix (capped) → final review → verify → ready
 *   maintenance: implement → review ⇄ fix (capped) → ready
 *   triage:      triage → one fix chunk for the accepted findings → review ⇄ fix → ready
 */
import { loadRepoConfig, type RepoConfig } from "../repo-config.js";
import type { Task } from "../task-store.js";
import { appendArtifact, saveArtifact } from "./artifacts.js";
import { parseBrainstorm, parseReport, parseTriage } from "./formats/index.js";
import { roleOf } from "./pipeline-core.js";
import type { PipelineHost, RunResult } from "./pipeline-host.js";
import { initialState, type PipelineState, type PipelineStore } from "./pipeline-state.js";
import { ReviewSteps } from "./review-steps.js";
import { lastRunResult } from "./single-run.js";
import { datedSlugPath } from "./step-inputs.js";
import { renderTemplate } from "./templates.js";

/** Format reminders per step before the pipeline stops guessing and asks the user. */
const MAX_NUDGES = 2;

export class PipelineError extends Error {}

export class Pipelines extends ReviewSteps {
  constructor(host: PipelineHost, store: PipelineStore) {
    super(host, store);
  }

  has(taskId: number): boolean {
    return this.store.get(taskId) !== undefined;
  }

  get(taskId: number): PipelineState | undefined {
    return this.store.get(taskId);
  }

  /** Records a new task's pipeline; it begins once the worktree is ready. */
  create(taskId: number, state: PipelineState): void {
    this.store.save(taskId, state);
  }

  /** The first step, once the task's worktree is ready. */
  async begin(task: Task, config: RepoConfig): Promise<void> {
    const state = this.store.get(task.id);
    if (!state) throw new PipelineError(`task ${task.id} has no pipeline`);
    if (state.lane === "feature") {
      const { specDir } = config.pipeline;
      state.specPath = datedSlugPath(specDir, task.slug, "-design");
      state.planPath = datedSlugPath(specDir, task.slug, "-plan");
      await this.brainstorm(task, state, config);
    } else {
      await this.implementMaintenance(task, state, config);
    }
  }

  /** A finished run of a pipelined task; failed runs leave the task failed at this step. */
  async afterRun(task: Task, run: number, result: RunResult): Promise<void> {
    const state = this.store.get(task.id);
    // Only the run the current step started counts. The same run seen again (a daemon that died
    // between saving and starting the next step) is dispatched again, but counted once.
    if (!state || state.run !== run || run < state.handledRun) return;
    const first = run > state.handledRun;
    state.handledRun = run;
    const role = roleOf(state.step);
    if (role && first) {
      const usage = state.usage[role] ?? { input: 0, output: 0, runs: 0 };
      state.usage[role] = {
        input: usage.input + result.usage.input,
        output: usage.output + result.usage.output,
        runs: usage.runs + 1,
      };
      if (result.sessionId) state.sessions[role] = result.sessionId;
    }
    this.store.save(task.id, state);
    if (result.status !== "success") {
      this.host.setState(task.id, "failed", {
        error: `${state.step} step: ${result.summary}; grove resume ${task.id} retries it`,
        pid: null,
        finishedAt: new Date().toISOString(),
      });
      this.host.schedule();
      return;
    }
    const config = await loadRepoConfig(task.repo);
    await this.dispatch(task, state, config, result.summary);
  }

  private async dispatch(task: Task, state: PipelineState, config: RepoConfig, answer: string) {
    switch (state.step) {
      case "brainstorm":
        return this.afterBrainstorm(task, state, config, answer);
      case "spec":
        return this.afterSpec(task, state, config);
      case "plan":
        return this.afterPlan(task, state, config);
      case "implement":
      case "fix":
      case "final-fix":
      case "verify-fix":
        return this.afterImplement(task, state, config, answer);
      case "review":
        return this.afterReview(task, state, config, answer);
      case "final-review":
        return this.afterFinalReview(task, state, config, answer);
      case "triage":
        return this.afterTriage(task, state, config, answer);
      default:
        throw new PipelineError(`task ${task.id}: a run finished while the pipeline was at "${state.step}"`);
    }
  }

  private async brainstorm(task: Task, state: PipelineState, config: RepoConfig): Promise<void> {
    const budget = Math.max(0, config.pipeline.questions - state.questions);
    const mode = await renderTemplate(
      task.repo,
      state.auto || budget === 0 ? "brainstorm-auto" : "brainstorm-interactive",
      { question_budget: String(budget) },
    );
    const prompt = await renderTemplate(task.repo, "brainstorm", { idea: task.prompt, mode });
    this.startStep(task, state, config, "brainstorm", { role: "architect", prompt, readOnly: true });
  }

  private async afterBrainstorm(task: Task, state: PipelineState, config: RepoConfig, answer: string) {
    const turn = parseBrainstorm(answer);
    if (turn.kind === "question" && !state.auto && state.questions < config.pipeline.questions) {
      state.questions += 1;
      state.nudges = 0;
      appendArtifact(this.host, task, "qa.md", `**Q${state.questions}.** ${turn.question}`);
      return this.gate(task, state, "question", "brainstorm", turn.question);
    }
    if (turn.kind !== "ready" && state.nudges < MAX_NUDGES) {
      state.nudges += 1;
      const problem =
        turn.kind === "question"
          ? "you may not ask more questions now. Decide for yourself, record it as an assumption, and answer DESIGN READY with the approaches and your recommendation."
          : "it had neither a QUESTION: line nor DESIGN READY.";
      return this.nudge(task, state, config, "brainstorm", problem);
    }
    state.nudges = 0;
    saveArtifact(this.host, task, "design.md", answer);
    const prompt = await renderTemplate(task.repo, "spec", { spec_path: state.specPath! });
    this.startStep(task, state, config, "spec", { role: "architect", prompt, resume: true });
  }

  /** The user's answer to a brainstorm question goes back to the same architect session. */
  protected async answerQuestion(task: Task, state: PipelineState, config: RepoConfig, answer: string) {
    appendArtifact(this.host, task, "qa.md", `**A${state.questions}.** ${answer}`);
    const prompt = await renderTemplate(task.repo, "answer", { answer });
    this.startStep(task, state, config, "brainstorm", {
      role: "architect",
      prompt,
      resume: true,
      readOnly: true,
    });
  }

  private async implementMaintenance(task: Task, state: PipelineState, config: RepoConfig) {
    state.chunks = 1;
    state.chunkBase = await this.head(task);
    const prompt = await renderTemplate(task.repo, "implement", { task: task.prompt });
    this.startStep(task, state, config, "implement", { role: "implementer", prompt, fresh: true });
  }

  private async afterImplement(task: Task, state: PipelineState, config: RepoConfig, answer: string) {
    const report = parseReport(answer);
    const label =
      state.step === "verify-fix"
        ? "verify-fix-report"
        : state.step === "final-fix"
          ? "final-fix-report"
          : state.triage
            ? "triage-fix-report"
            : `chunk-${state.chunk + 1}-report-${state.round + 1}`;
    saveArtifact(this.host, task, `${label}.md`, answer);
    if (report.status === "NEEDS_CONTEXT" || report.status === "BLOCKED") {
      return this.gate(
        task,
        state,
        "report",
        state.step,
        `The implementer reports ${report.status}:\n\n${report.body}`,
      );
    }
    state.concerns = report.status === "DONE_WITH_CONCERNS" ? report.body : undefined;
    if (state.step === "verify-fix") return this.verify(task, state, config);
    if (state.step === "final-fix") return this.finalReview(task, state, config);
    return this.review(task, state, config);
  }

  private async afterTriage(task: Task, state: PipelineState, config: RepoConfig, answer: string) {
    const triage = parseTriage(answer);
    saveArtifact(this.host, task, "triage.md", answer);
    const accepted = triage.decisions.filter((decision) => decision.decision === "accept");
    const skipped = triage.decisions.filter((decision) => decision.decision !== "accept");
    this.host.log(task.id, "triage_finished", {
      accepted: accepted.length,
      skipped: skipped.map((d) => ({
        ref: d.ref,
        decision: d.decision,
        location: d.location,
        reason: d.reason,
      })),
      verdict: triage.verdict ?? null,
    });
    if (accepted.length === 0) {
      state.triage = undefined;
      return this.ready(task, state, "triage accepted none of the review's findings");
    }
    state.triage = {
      reviewText: state.triage?.reviewText ?? "",
      accepted: accepted.map((d) => `- ${d.ref}${d.location ? ` ${d.location}` : ""} — ${d.reason}`),
    };
    state.round = 0;
    state.chunkBase = await this.head(task);
    const prompt = await renderTemplate(task.repo, "triage-fix", {
      findings: state.triage.accepted.join("\n"),
      review: state.triage.reviewText,
    });
    this.startStep(task, state, config, "fix", { role: "implementer", prompt, fresh: true });
  }

  /** `grove triage`: an agent weighs an external review of a finished task. */
  async triage(task: Task, reviewText: string): Promise<void> {
    const config = await loadRepoConfig(task.repo);
    const state = this.store.get(task.id) ?? initialState("maintenance", false);
    state.triage = { reviewText, accepted: [] };
    state.nudges = 0;
    const prompt = await renderTemplate(task.repo, "triage", { review: reviewText });
    this.startStep(task, state, config, "triage", { role: "reviewer", prompt, readOnly: true });
  }

  /** `grove resume` of a task stopped at a gate: the same question or gate goes back in the inbox. */
  reopenGate(task: Task): void {
    const state = this.store.get(task.id);
    if (!state?.gate) throw new PipelineError(`task ${task.id} is not waiting on the inbox`);
    const previous = this.host.inbox.get(state.gate.item);
    this.gate(
      task,
      state,
      state.gate.about,
      state.gate.resume,
      previous?.text ?? "(the earlier item was lost)",
    );
  }

  /** `grove resume` of a pipelined task: the interrupted or failed step runs again. */
  async retry(task: Task): Promise<void> {
    const state = this.store.get(task.id);
    if (!state) throw new PipelineError(`task ${task.id} has no pipeline`);
    const config = await loadRepoConfig(task.repo);
    if (state.step === "verify") return this.verify(task, state, config);
    if (state.step === "gate" || state.step === "ready")
      throw new PipelineError(`task ${task.id}'s pipeline is at "${state.step}": nothing to retry`);
    // The run succeeded but what follows it failed (e.g. a broken repository config): go on from its answer.
    const result = lastRunResult(this.host.tasks.events(task.id), { status: "success" });
    if (state.handledRun === state.run && task.runs === state.run && this.succeeded(task))
      return this.dispatch(task, state, config, result.summary);
    return this.rerun(task, state, config);
  }

  private succeeded(task: Task): boolean {
    const finished = this.host.tasks.events(task.id).findLast((event) => event.type === "run_finished");
    return finished?.body.run === task.runs && finished.body.status === "success";
  }
}
