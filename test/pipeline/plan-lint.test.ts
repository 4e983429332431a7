/**
 * The plan check in the pipeline: the architect's first plan has placeholders ("Similar to
 * Task 1", "TBD"); the pipeline sends the linter's problems back to the same architect session,
 * and the repaired plan is the one that is implemented.
 */
import { afterEach, describe, expect, it } from "vitest";
import { formatLintProblems, lintPlan } from "../../src/orchestrator/pipeline/formats/index.js";
import { disposeAll, eventsOf, git, makeSandbox, taskEvents } from "../orchestrator/harness.js";
import { featureScripts, IDEA, PLACEHOLDER_STEPS, PLACEHOLDER_TEST, PLAN, SPEC } from "./feature-scripts.js";
import {
  artifact,
  branchCommits,
  pipelineRepo,
  pipelineView,
  runsOf,
  settle,
  startPlan,
  stepTrail,
  useRoleScripts,
} from "./pipeline-harness.js";

afterEach(disposeAll);

describe("the plan check", () => {
  it("sends a plan with placeholders back to the architect, and implements the repaired plan", async () => {
    const sandbox = makeSandbox("grove-plan-lint-");
    const repo = await pipelineRepo(sandbox, { chunkSize: 2 });
    useRoleScripts(sandbox, featureScripts({ placeholderPlan: true, chunk1Review: "approve" }));
    const id = await startPlan(sandbox, repo, "--auto", IDEA);
    const task = await settle(sandbox, id, "done");
    const { pipeline } = await pipelineView(sandbox, id);
    const { specPath, planPath } = pipeline!;

    const events = await taskEvents(sandbox, id);
    expect(stepTrail(events)).toEqual([
      "brainstorm",
      "spec",
      "plan",
      "plan",
      "implement 1/1",
      "review 1/1 r1",
      "final-review",
      "verify",
      "ready",
    ]);
    expect(pipeline!.planFixes).toBe(1);

    // The first plan failed the check on exactly its two placeholders; the second passed.
    const checks = eventsOf(events, "plan_checked").map(
      (event) => event.body.problems as { line: number; message: string }[],
    );
    expect(checks).toHaveLength(2);
    expect(checks[1]).toEqual([]);
    // The first plan is in the branch's history: the architect's first plan commit.
    const commits = branchCommits(repo, task);
    const firstPlan = `${git(repo, ["show", `${commits[1]!.hash}:${planPath}`])}\n`;
    expect(firstPlan).toContain(PLACEHOLDER_STEPS);
    expect(firstPlan).toContain(PLACEHOLDER_TEST);
    expect(checks[0]).toEqual(lintPlan(firstPlan, SPEC));
    expect(checks[0]!.map((problem) => problem.message)).toEqual([
      'placeholder "Similar to Task 1": repeat the details here; each task must stand alone, because tasks are read out of order',
      'placeholder "TBD": decide it now and write the decision down',
    ]);

    // The problems went back verbatim to the architect's own session.
    const runs = runsOf(task);
    const planRuns = runs.filter((run) => run.step === "plan");
    expect(planRuns).toHaveLength(2);
    expect(planRuns[1]!.resumeSessionId).toBe(planRuns[0]!.resumeSessionId);
    expect(planRuns[1]!.prompt).toBe(
      `(grove step: plan)\nThe plan at ${planPath} does not pass grove's plan check:\n\n${formatLintProblems(checks[0]!)}\n\nFix each problem in the file, then answer with one line.`,
    );

    // The repaired plan is the one committed, kept and implemented.
    const committed = git(repo, ["show", `${task.branch}:${planPath}`]);
    expect(`${committed}\n`).toBe(PLAN(specPath!));
    expect(lintPlan(committed, SPEC)).toEqual([]);
    expect(artifact(task, "plan.md")).toBe(PLAN(specPath!));
    const implement = runs.find((run) => run.step === "implement")!;
    expect(implement.prompt).toContain(
      '2. Default the name to "friend" and see the test pass.\nTest: `node --test` — farewell() returns "Goodbye, friend!"',
    );
    expect(implement.prompt).not.toContain("TBD");
    expect(commits.map((commit) => [commit.subject, commit.files])).toEqual([
      [`Design: ${IDEA}`, [specPath]],
      [`Plan: ${IDEA}`, [planPath]],
      [`Plan: ${IDEA}`, [planPath]],
      ["farewell() says goodbye by name (plan tasks 1-2)", ["src/farewell.js", "test/farewell.test.js"]],
    ]);
  }, 240_000);
});
