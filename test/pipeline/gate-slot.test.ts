/**
 * An inbox gate holds no agent slot, and its approval does not start a run past the limit. With
 * `concurrency: 1`, a feature pipeline waits at its spec gate while a research task takes the
 * only slot; approving the gate then queues the pipeline's next step, which runs once the
 * research task is finished. The pipeline goes on to the end as if nothing had happened.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  barrier,
  createTask,
  disposeAll,
  enteredAt,
  eventsOf,
  expectSettled,
  getTask,
  grove,
  groveOk,
  makeSandbox,
  taskEvents,
} from "../orchestrator/harness.js";
import { featureScripts, IDEA } from "./feature-scripts.js";
import {
  bash,
  inboxJson,
  pipelineRepo,
  ROLE_MODELS,
  reply,
  settle,
  startPlan,
  stepTrail,
  useRoleScripts,
  waitForPipeline,
} from "./pipeline-harness.js";

afterAll(disposeAll);

describe("a pipeline gate under concurrency 1", () => {
  it("frees the slot while it waits, and its approval waits for the slot", async () => {
    const sandbox = makeSandbox("grove-gate-slot-");
    const repo = await pipelineRepo(sandbox, { chunkSize: 2 }, 1);
    const hold = barrier(sandbox, "research");
    const scripts = featureScripts({ chunk1Review: "approve" });
    useRoleScripts(sandbox, {
      ...scripts,
      implementer: [
        reply({ anyMessageContains: "the blocking research", turn: 0 }, { toolCalls: [bash(hold.command)] }),
        reply({ anyMessageContains: "the blocking research", turn: 1 }, { text: "Research notes." }),
        ...scripts.implementer,
      ],
    });
    const id = await startPlan(sandbox, repo, IDEA);
    await waitForPipeline(
      sandbox,
      id,
      (view, task) => view.pipeline?.gate?.about === "spec" && task.state === "waiting-for-input",
      "the spec gate",
    );

    // The gate holds no slot: the research task starts at once.
    const research = await createTask(sandbox, {
      cwd: repo,
      prompt: "Look into the blocking research question",
      kind: "research",
      model: ROLE_MODELS.implementer,
    });
    await hold.waitArrived(1);
    expect((await getTask(sandbox, research.id)).state).toBe("running");

    // Approved while the slot is taken: the next step (the plan) waits, queued.
    const [gate] = await inboxJson(sandbox);
    await groveOk(sandbox, ["approve", String(gate!.id)]);
    const waiting = await getTask(sandbox, id);
    expect(waiting).toMatchObject({ state: "queued", pid: null });
    expect(eventsOf(await taskEvents(sandbox, id), "run_queued")).toHaveLength(1);

    // Stopped while it waits, the step is not replaced by a reply; resumed, it waits again.
    await groveOk(sandbox, ["stop", String(id)]);
    const refused = await grove(sandbox, ["reply", String(id), "Skip the plan."]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `task ${id} has its architect's run waiting for an agent slot: grove resume ${id} queues it again`,
    );
    expect(await groveOk(sandbox, ["resume", String(id)])).toBe(`task ${id} resumed (queued)\n`);

    hold.release();
    const researchDone = await expectSettled(sandbox, research.id, "archived");
    const task = await settle(sandbox, id, "done");
    const events = await taskEvents(sandbox, id);
    expect(stepTrail(events)).toEqual([
      "brainstorm",
      "spec",
      "plan",
      "implement 1/1",
      "review 1/1 r1",
      "final-review",
      "verify",
      "ready",
    ]);
    // The plan's run (the third) started only after the research task had ended.
    const planStarted = eventsOf(events, "run_started")[2]!;
    expect(planStarted.body).toMatchObject({ run: 3, role: "architect" });
    const researchEnded = enteredAt(await taskEvents(sandbox, researchDone.id), "archived")!;
    expect(planStarted.ts >= researchEnded).toBe(true);
    expect(task.runs).toBe(6);
  }, 240_000);
});
