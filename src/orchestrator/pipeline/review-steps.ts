/**
 * The checked half of the pipeline, after the spec and plan checks (plan-steps.ts): the
 * implementer's chunks, the architect's reviews with their capped fix rounds, the final review
 * and the test run.
 */
import { runTestCommand } from "../git/test-command.js";
import type { InboxItem } from "../inbox-store.js";
import { loadRepoConfig, type RepoConfig } from "../repo-config.js";
import type { Task } from "../task-store.js";
import { appendArtifact, saveArtifact } from "./artifacts.js";
import { blockingFindings, type Finding, formatFindings, parseReview } from "./formats/index.js";
import type { PipelineState } from "./pipeline-state.js";
import { PlanSteps } from "./plan-steps.js";
import { chunkBrief, chunkCommitMessage, chunkTasks, diffSince, readWorktreeFile } from "./step-inputs.js";
import { renderTemplate } from "./templates.js";

/** Fix waves after the final review, and implementer attempts at failing tests. */
const MAX_FINAL_FIXES = 1;
const MAX_VERIFY_FIXES = 1;
/** Test output shown to the implementer: the tail, where failures are. */
const TEST_OUTPUT_TAIL = 8_000;

export abstract class ReviewSteps extends PlanSteps {
  protected abstract answerQuestion(
    task: Task,
    state: PipelineState,
    config: RepoConfig,
    answer: string,
  ): Promise<void>;

  protected async implementChunk(task: Task, state: PipelineState, config: RepoConfig): Promise<void> {
    const tasks = (await chunkTasks(task, state, config.pipeline.chunkSize)) ?? [];
    state.round = 0;
    state.concerns = undefined;
    state.chunkBase = await this.head(task);
    const prompt = await renderTemplate(task.repo, "implement-chunk", {
      plan_path: state.planPath!,
      spec_path: state.specPath!,
      tasks: tasks.map((planTask) => planTask.text.trim()).join("\n\n"),
    });
    this.startStep(task, state, config, "implement", {
      role: "implementer",
      prompt,
      fresh: true,
      ...(tasks.length > 0 ? { commitMessage: chunkCommitMessage(tasks, task.id) } : {}),
    });
  }

  protected async review(task: Task, state: PipelineState, config: RepoConfig): Promise<void> {
    state.round += 1;
    const prompt = await renderTemplate(task.repo, "review-chunk", {
      spec_path: state.specPath ?? "(none: a maintenance task)",
      plan_path: state.planPath ?? "(none)",
      tasks: await chunkBrief(task, state, config.pipeline.chunkSize),
      concerns: state.concerns ? `The implementer reported concerns:\n${state.concerns}\n\n` : "",
      diff: await diffSince(task, state.chunkBase ?? task.baseCommit ?? "HEAD"),
    });
    this.startStep(task, state, config, "review", { role: "reviewer", prompt, readOnly: true, fresh: true });
  }

  protected async afterReview(task: Task, state: PipelineState, config: RepoConfig, answer: string) {
    const review = parseReview(answer);
    const label = state.triage ? "triage-fix-review" : `chunk-${state.chunk + 1}-review-${state.round}`;
    saveArtifact(this.host, task, `${label}.md`, answer);
    if (!review.verdict) {
      if (state.nudges < 1) {
        state.nudges += 1; // The same round, answered again.
        return this.nudge(task, state, config, "review", "it had no VERDICT: line.");
      }
      state.nudges = 0;
      return this.gate(task, state, "review-cap", "review", `The reviewer gave no verdict:\n\n${answer}`);
    }
    state.nudges = 0;
    const blocking = blockingFindings(review.findings);
    this.recordMinors(task, state, review.findings, label);
    this.host.log(task.id, "review_finished", {
      verdict: review.verdict,
      round: state.round,
      findings: review.findings,
    });
    if (blocking.length === 0) return this.chunkDone(task, state, config);
    state.openFindings = blocking;
    if (state.round < config.pipeline.reviewRounds)
      return this.fix(task, state, config, formatFindings(blocking));
    return this.gate(
      task,
      state,
      "review-cap",
      "review",
      `Review round ${state.round} of ${config.pipeline.reviewRounds} still has open findings:\n${formatFindings(blocking)}\nApprove to accept the chunk as it is, or revise with instructions for the implementer.`,
    );
  }

  private recordMinors(task: Task, state: PipelineState, findings: Finding[], label: string): void {
    const minors = findings.filter((finding) => finding.severity === "minor");
    if (minors.length === 0) return;
    state.minors.push(...minors);
    appendArtifact(
      this.host,
      task,
      "ledger.md",
      `${label}: minor findings for the final review\n${formatFindings(minors)}`,
    );
  }

  private async fix(task: Task, state: PipelineState, config: RepoConfig, findings: string): Promise<void> {
    const prompt = await renderTemplate(task.repo, "fix", { findings });
    this.startStep(task, state, config, "fix", { role: "implementer", prompt, resume: true });
  }

  private async chunkDone(task: Task, state: PipelineState, config: RepoConfig): Promise<void> {
    state.openFindings = [];
    this.host.log(task.id, "chunk_finished", {
      chunk: state.chunk + 1,
      chunks: state.chunks,
      rounds: state.round,
    });
    if (state.triage || state.lane === "maintenance") return this.ready(task, state);
    if (state.chunk + 1 < state.chunks) {
      state.chunk += 1;
      return this.implementChunk(task, state, config);
    }
    return this.finalReview(task, state, config);
  }

  protected async finalReview(task: Task, state: PipelineState, config: RepoConfig): Promise<void> {
    const minors = state.minors.length > 0 ? formatFindings(state.minors) : "(none)";
    const prompt = await renderTemplate(task.repo, "review-final", {
      spec_path: state.specPath!,
      plan_path: state.planPath!,
      minors,
      diff: await diffSince(task, task.baseCommit ?? "HEAD"),
    });
    this.startStep(task, state, config, "final-review", {
      role: "reviewer",
      prompt,
      readOnly: true,
      fresh: true,
    });
  }

  protected async afterFinalReview(task: Task, state: PipelineState, config: RepoConfig, answer: string) {
    const review = parseReview(answer);
    saveArtifact(this.host, task, `final-review-${state.finalRounds + 1}.md`, answer);
    this.host.log(task.id, "review_finished", {
      verdict: review.verdict ?? null,
      final: true,
      findings: review.findings,
    });
    const blocking = review.verdict ? blockingFindings(review.findings) : [];
    if (review.verdict && blocking.length === 0) return this.verify(task, state, config);
    state.openFindings = blocking;
    if (review.verdict && state.finalRounds < MAX_FINAL_FIXES) {
      state.finalRounds += 1;
      const prompt = await renderTemplate(task.repo, "fix", { findings: formatFindings(blocking) });
      return this.startStep(task, state, config, "final-fix", { role: "implementer", prompt, fresh: true });
    }
    const why = review.verdict
      ? `still has open findings:\n${formatFindings(blocking)}`
      : `gave no verdict:\n\n${answer}`;
    return this.gate(
      task,
      state,
      "final-review",
      "verify",
      `The final review ${why}\nApprove to go on to the tests, or revise with instructions.`,
    );
  }

  /** The repository's test command in the worktree; the step is saved first so a restart re-runs it. */
  protected async verify(task: Task, state: PipelineState, config: RepoConfig): Promise<void> {
    if (!config.test) return this.ready(task, state, "no test command configured");
    state.step = "verify";
    this.store.save(task.id, state);
    this.host.log(task.id, "pipeline_step", { step: "verify", command: config.test });
    this.host.setState(task.id, "running", { pid: null });
    const result = await runTestCommand(task.worktree, { command: config.test }).catch((error: Error) => ({
      exitCode: null,
      output: error.message,
      timedOut: false,
    }));
    const attempt = state.verifyFixes + 1;
    saveArtifact(this.host, task, `verify-${attempt}.log`, result.output);
    this.host.log(task.id, "verify_finished", { exitCode: result.exitCode, timedOut: result.timedOut });
    if (result.exitCode === 0) return this.ready(task, state);
    const output = result.output.slice(-TEST_OUTPUT_TAIL);
    if (state.verifyFixes < MAX_VERIFY_FIXES) {
      state.verifyFixes += 1;
      const prompt = await renderTemplate(task.repo, "verify-fix", {
        test_command: config.test,
        test_output: output,
      });
      return this.startStep(task, state, config, "verify-fix", { role: "implementer", prompt, fresh: true });
    }
    return this.gate(
      task,
      state,
      "verify",
      "verify",
      `\`${config.test}\` fails (exit ${result.exitCode ?? "none"}):\n${output.slice(-1_500)}\nApprove to queue it anyway, or revise with instructions for the implementer.`,
    );
  }

  async onResolved(task: Task, item: InboxItem): Promise<void> {
    const state = this.store.get(task.id);
    if (!state?.gate || state.gate.item !== item.id) return; // A stale item: the pipeline moved on.
    const { about, resume } = state.gate;
    const approved = item.resolution === "approved";
    const text = item.response ?? "";
    const config = await loadRepoConfig(task.repo);
    appendArtifact(
      this.host,
      task,
      "ledger.md",
      `user ${item.resolution} ${about} item ${item.id}${text ? `: ${text}` : ""}`,
    );
    switch (about) {
      case "question":
        return this.answerQuestion(task, state, config, text);
      case "report":
        return this.startStep(task, state, config, resume, {
          role: "implementer",
          prompt: `(grove step: ${resume})\nThe user answered: ${text}\n\nContinue.`,
          resume: true,
        });
      case "spec":
        if (approved) return this.plan(task, state, config);
        return this.startStep(task, state, config, "spec", {
          role: "architect",
          prompt: await renderTemplate(task.repo, "spec-revise", {
            spec_path: state.specPath!,
            answer: text,
          }),
          resume: true,
        });
      case "plan-lint": {
        if (approved)
          return this.startChunks(task, state, config, (await readWorktreeFile(task, state.planPath)) ?? "");
        return this.fixPlan(task, state, config, text);
      }
      case "review-cap":
        if (approved) return this.chunkDone(task, state, config);
        return this.fix(
          task,
          state,
          config,
          `${text}\n\nOpen findings:\n${formatFindings(state.openFindings)}`,
        );
      case "final-review":
        if (approved) return this.verify(task, state, config);
        return this.startStep(task, state, config, "final-fix", {
          role: "implementer",
          prompt: await renderTemplate(task.repo, "fix", {
            findings: state.openFindings.length
              ? `${text}\n\nOpen findings of the final review:\n${formatFindings(state.openFindings)}`
              : text,
          }),
          fresh: true,
        });
      case "verify":
        if (approved) return this.ready(task, state, "queued by the user with failing tests");
        return this.startStep(task, state, config, "verify-fix", {
          role: "implementer",
          prompt: await renderTemplate(task.repo, "fix", { findings: text }),
          fresh: true,
        });
    }
  }
}
