/**
 * The path a new user takes: `grove plan --auto "…"` on the sample repository with grove's
 * scripted demo model (no router.json, no --model), followed to the end with --wait.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  disposeAll,
  eventsOf,
  expectSettled,
  git,
  grove,
  makeSandbox,
  sampleRepo,
  taskEvents,
} from "../orchestrator/harness.js";
import { artifact, branchCommits, pipelineView, runsOf, stepTrail } from "./pipeline-harness.js";

afterEach(disposeAll);

describe("grove plan --auto on the demo model", () => {
  it("goes through brainstorm, spec, plan, two reviewed chunks and the final review to done", async () => {
    const sandbox = makeSandbox("grove-plan-demo-");
    const repo = await sampleRepo(sandbox);
    const result = await grove(
      sandbox,
      ["plan", "--auto", "--wait", "Greet people in their own language: French and Spanish"],
      { cwd: repo, timeoutMs: 150_000 },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const id = Number(result.stdout.split("\n")[0]);
    expect(result.stdout).toMatch(new RegExp(`^task ${id}: done$`, "m"));
    const task = await expectSettled(sandbox, id, "done");

    // Every run used the demo model (the task's default), in the roles the pipeline asked for.
    const runs = runsOf(task);
    expect(runs.every((run) => run.model === undefined || run.model === "demo")).toBe(true);
    const events = await taskEvents(sandbox, id);
    expect(stepTrail(events)).toEqual([
      "brainstorm",
      "spec",
      "plan",
      "implement 1/2",
      "review 1/2 r1",
      "fix 1/2 r1",
      "review 1/2 r2",
      "implement 2/2",
      "review 2/2 r1",
      "final-review",
      "verify",
      "ready",
    ]);
    // Two chunks, each reviewed; the first sent back once.
    expect(eventsOf(events, "chunk_finished").map((event) => event.body)).toEqual([
      { chunk: 1, chunks: 2, rounds: 2 },
      { chunk: 2, chunks: 2, rounds: 1 },
    ]);
    expect(
      eventsOf(events, "review_finished").map((event) => [event.body.verdict, event.body.final ?? false]),
    ).toEqual([
      ["CHANGES_REQUESTED", false],
      ["APPROVED", false],
      ["APPROVED", false],
      ["APPROVED", true],
    ]);
    expect(eventsOf(events, "verify_finished").map((event) => event.body.exitCode)).toEqual([0]);

    // The result is on the branch: the module with the reviewed fix, its tests and the README.
    const greetIn = git(repo, ["show", `${task.branch}:src/greet-in.js`]);
    expect(greetIn).toContain('fr: "Bonjour"');
    expect(greetIn).toContain("known: ${Object.keys(GREETINGS)");
    expect(git(repo, ["show", `${task.branch}:test/greet-in.test.js`])).toContain("/known: en, fr, es/");
    expect(git(repo, ["show", `${task.branch}:README.md`])).toContain("## Languages");
    const { pipeline, inbox } = await pipelineView(sandbox, id);
    expect(pipeline?.step).toBe("ready");
    expect(git(repo, ["show", `${task.branch}:${pipeline!.specPath}`])).toContain("## Requirements");
    expect(git(repo, ["show", `${task.branch}:${pipeline!.planPath}`])).toContain("## Task 4:");
    // --auto: no question and no gate, and the architect recorded its assumptions.
    expect(inbox).toEqual([]);
    expect(artifact(task, "design.md")).toContain("Assumptions:");
    expect(branchCommits(repo, task).map((commit) => commit.subject)).toEqual([
      "Design: Greet people in their own language: French and Spanish",
      "Plan: Greet people in their own language: French and Spanish",
      "greetIn() greets in English and French (plan tasks 1-3)",
      "Address review findings (chunk 1, round 1)",
      "README lists the supported languages",
    ]);
    expect(git(task.worktree, ["status", "--porcelain"])).toBe("");
  }, 180_000);
});
