/**
 * `grove plan --auto`: no question and no gate reaches the user, even when the architect asks
 * anyway; it is told to decide for itself, and the pipeline runs to done on its own.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { disposeAll, eventsOf, git, makeSandbox, taskEvents } from "../orchestrator/harness.js";
import { featureScripts, IDEA, SPEC } from "./feature-scripts.js";
import {
  artifact,
  inboxJson,
  pipelineRepo,
  pipelineView,
  runsOf,
  settle,
  startPlan,
  stepTrail,
  useRoleScripts,
} from "./pipeline-harness.js";

afterEach(disposeAll);

describe("grove plan --auto", () => {
  it("opens no inbox item, nudges a question into an assumption, and reaches done", async () => {
    const sandbox = makeSandbox("grove-auto-");
    const repo = await pipelineRepo(sandbox, { chunkSize: 2 });
    useRoleScripts(sandbox, featureScripts({ askAnyway: true, chunk1Review: "approve" }));
    const id = await startPlan(sandbox, repo, "--auto", IDEA);
    const task = await settle(sandbox, id, "done");

    // Never an inbox item, never waiting for the user.
    const events = await taskEvents(sandbox, id);
    expect(eventsOf(events, "inbox_opened")).toEqual([]);
    expect((await pipelineView(sandbox, id)).inbox).toEqual([]);
    expect(await inboxJson(sandbox)).toEqual([]);
    expect(eventsOf(events, "state_changed").map((event) => event.body.to)).not.toContain(
      "waiting-for-input",
    );
    expect(existsSync(join(task.taskDir, "pipeline", "qa.md"))).toBe(false);

    expect(stepTrail(events)).toEqual([
      "brainstorm",
      "brainstorm",
      "spec",
      "plan",
      "implement 1/1",
      "review 1/1 r1",
      "final-review",
      "verify",
      "ready",
    ]);
    // The question was answered by a reminder in the same read-only session.
    const [brainstorm, nudge] = runsOf(task);
    expect(brainstorm!.prompt).toContain("Do not ask questions");
    expect(nudge!.prompt).toContain("you may not ask more questions now");
    expect(nudge).toMatchObject({ readOnly: true });
    expect(nudge!.resumeSessionId).toBeDefined();
    expect(artifact(task, "design.md")).toContain("Assumptions:");

    // The spec went straight to the plan: committed, no gate.
    const { pipeline } = await pipelineView(sandbox, id);
    expect(git(repo, ["show", `${task.branch}:${pipeline!.specPath}`])).toBe(SPEC.trimEnd());
    expect(git(repo, ["show", `${task.branch}:src/farewell.js`])).toContain('farewell(name = "friend")');
    expect(eventsOf(events, "verify_finished").map((event) => event.body.exitCode)).toEqual([0]);
  }, 240_000);
});
