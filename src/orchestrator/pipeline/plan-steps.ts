/**
 * The checks before any code: the spec the architect wrote (nudged while it is missing or
 * malformed), its gate, the plan and grove's plan check with capped automatic repairs, and the
 * split of the plan into the implementer's chunks.
 */
import type { RepoConfig } from "../repo-config.js";
import type { Task } from "../task-store.js";
import { saveArtifact } from "./artifacts.js";
import { formatLintProblems, lintPlan, parsePlan, parseSpec, planChunks } from "./formats/index.js";
import { PipelineCore } from "./pipeline-core.js";
import type { PipelineState } from "./pipeline-state.js";
import { readWorktreeFile } from "./step-inputs.js";
import { renderTemplate } from "./templates.js";

/** Automatic plan repairs before the plan check's problems go to the user. */
const MAX_PLAN_FIXES = 3;

export abstract class PlanSteps extends PipelineCore {
  protected abstract implementChunk(task: Task, state: PipelineState, config: RepoConfig): Promise<void>;

  protected async afterSpec(task: Task, state: PipelineState, config: RepoConfig): Promise<void> {
    const nudgeSpec = (problem: string) => {
      state.nudges += 1;
      return this.nudge(task, state, config, "spec", problem);
    };
    const text = await readWorktreeFile(task, state.specPath);
    if (text === undefined) {
      if (state.nudges < 2) return nudgeSpec(`the spec file ${state.specPath} does not exist. Write it.`);
      return this.failTask(task, state, `the architect did not write the spec to ${state.specPath}`);
    }
    const spec = parseSpec(text);
    if (spec.problems.length > 0 && state.nudges < 2) {
      return nudgeSpec(`the spec has problems:\n${formatLintProblems(spec.problems)}`);
    }
    state.nudges = 0;
    saveArtifact(this.host, task, "spec.md", text);
    if (state.auto) return this.plan(task, state, config);
    return this.gate(
      task,
      state,
      "spec",
      "plan",
      `Spec "${spec.title}" is written to ${state.specPath} on ${task.branch} (requirements ${spec.requirements.map((r) => r.id).join(", ") || "none"}). Approve it, or ask for revisions.`,
    );
  }

  protected async plan(task: Task, state: PipelineState, config: RepoConfig): Promise<void> {
    const prompt = await renderTemplate(task.repo, "plan", {
      spec_path: state.specPath!,
      plan_path: state.planPath!,
    });
    this.startStep(task, state, config, "plan", { role: "architect", prompt, resume: true });
  }

  protected async afterPlan(task: Task, state: PipelineState, config: RepoConfig): Promise<void> {
    const text = await readWorktreeFile(task, state.planPath);
    const spec = await readWorktreeFile(task, state.specPath);
    const problems =
      text === undefined
        ? [{ line: 0, message: `the plan file ${state.planPath} does not exist` }]
        : lintPlan(text, spec);
    this.host.log(task.id, "plan_checked", { problems });
    if (problems.length > 0) {
      if (state.planFixes < MAX_PLAN_FIXES) {
        state.planFixes += 1;
        return this.fixPlan(task, state, config, formatLintProblems(problems));
      }
      return this.gate(
        task,
        state,
        "plan-lint",
        "implement",
        `The plan at ${state.planPath} still fails grove's plan check after ${MAX_PLAN_FIXES} repairs:\n${formatLintProblems(problems)}\nApprove to implement it as it is, or revise with instructions for the architect.`,
      );
    }
    return this.startChunks(task, state, config, text!);
  }

  protected async fixPlan(task: Task, state: PipelineState, config: RepoConfig, problems: string) {
    const prompt = await renderTemplate(task.repo, "plan-fix", { plan_path: state.planPath!, problems });
    this.startStep(task, state, config, "plan", { role: "architect", prompt, resume: true });
  }

  protected async startChunks(task: Task, state: PipelineState, config: RepoConfig, planText: string) {
    saveArtifact(this.host, task, "plan.md", planText);
    state.chunks = Math.max(1, planChunks(parsePlan(planText), config.pipeline.chunkSize).length);
    state.chunk = 0;
    return this.implementChunk(task, state, config);
  }
}
