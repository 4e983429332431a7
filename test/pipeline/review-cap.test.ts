/**
 * The review cap: a reviewer that keeps requesting changes (reviewRounds 2) makes the task wait
 * for the user with the open findings, instead of looping. `grove revise` sends the implementer
 * one more round with the user's words; `grove approve` accepts the chunk and the pipeline goes on.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  disposeAll,
  eventsOf,
  getTask,
  git,
  grove,
  groveOk,
  makeSandbox,
  taskEvents,
} from "../orchestrator/harness.js";
import { featureScripts, IDEA, IMPORTANT_FINDING, REVISION } from "./feature-scripts.js";
import {
  artifact,
  branchCommits,
  inboxJson,
  pipelineRepo,
  pipelineView,
  runsOf,
  settle,
  startPlan,
  stepTrail,
  useRoleScripts,
  waitForPipeline,
} from "./pipeline-harness.js";

afterEach(disposeAll);

describe("the review cap", () => {
  it("waits for the user with the open findings; revise runs one more round, approve goes on", async () => {
    const sandbox = makeSandbox("grove-review-cap-");
    const repo = await pipelineRepo(sandbox, { chunkSize: 1, reviewRounds: 2 });
    useRoleScripts(sandbox, featureScripts({ chunk1Review: "always" }));
    const id = await startPlan(sandbox, repo, "--auto", IDEA);

    // Two rounds of CHANGES_REQUESTED: the task waits, with no agent running.
    const waiting = await settle(sandbox, id, "waiting-for-input");
    expect(waiting.pid).toBeNull();
    const [item, ...others] = await inboxJson(sandbox);
    expect(others).toEqual([]);
    expect(item).toMatchObject({ taskId: id, kind: "gate", stage: "review-cap" });
    expect(item!.text).toBe(
      `Review round 2 of 2 still has open findings:\n${IMPORTANT_FINDING}\nApprove to accept the chunk as it is, or revise with instructions for the implementer.`,
    );
    const listing = await groveOk(sandbox, ["inbox"]);
    expect(listing).toContain(`#${item!.id}  gate · review-cap · task ${id} ${waiting.branch}`);
    expect(listing).toContain(`    ${IMPORTANT_FINDING}\n`);
    expect(listing).toContain(`→ grove approve ${item!.id}  |  grove revise ${item!.id} "…"`);
    const capped = await pipelineView(sandbox, id);
    expect(capped.pipeline).toMatchObject({
      step: "gate",
      round: 2,
      gate: { item: item!.id, about: "review-cap" },
    });
    expect(capped.pipeline!.openFindings).toEqual([
      {
        severity: "important",
        location: "src/farewell.js:2",
        text: 'The name is not trimmed: farewell(" Ada ") returns "Goodbye,  Ada !". Trim it, and test it.',
      },
    ]);
    // The gate is answered through the inbox only: not by a reply, not as a question.
    const replied = await grove(sandbox, ["reply", String(id), "just fix it"]);
    expect(replied.code).not.toBe(0);
    expect(replied.stderr).toContain(
      `task ${id} waits on inbox item ${item!.id}: grove answer, approve or revise ${item!.id}`,
    );
    const answered = await grove(sandbox, ["answer", String(item!.id), "yes"]);
    expect(answered.code).not.toBe(0);
    expect(answered.stderr).toContain(`item ${item!.id} is a gate: grove approve ${item!.id}`);
    // It stays there: no further run starts while it waits.
    const runsAtCap = runsOf(waiting).length;
    await sleep(1_500);
    expect(runsOf(waiting)).toHaveLength(runsAtCap);
    expect((await getTask(sandbox, id)).state).toBe("waiting-for-input");

    // Revise: the implementer gets the user's words and the open findings, then a third review.
    await groveOk(sandbox, ["revise", String(item!.id), REVISION]);
    const second = await waitForPipeline(
      sandbox,
      id,
      (view, task) => task.state === "waiting-for-input" && view.pipeline?.gate?.item !== item!.id,
      "the second review-cap gate",
    );
    const revisedFix = runsOf(waiting).at(-2)!;
    expect(revisedFix.step).toBe("fix");
    expect(revisedFix.prompt).toContain(
      `(verbatim):\n\n${REVISION}\n\nOpen findings:\n${IMPORTANT_FINDING}\n`,
    );
    expect(second.pipeline).toMatchObject({ round: 3, gate: { about: "review-cap" } });
    const [again] = await inboxJson(sandbox);
    expect(again!.text).toContain("Review round 3 of 2 still has open findings:");

    // Approve: the chunk is accepted as it is, and the pipeline finishes.
    await groveOk(sandbox, ["approve", String(again!.id)]);
    const task = await settle(sandbox, id, "done");
    const events = await taskEvents(sandbox, id);
    expect(stepTrail(events)).toEqual([
      "brainstorm",
      "spec",
      "plan",
      "implement 1/2",
      "review 1/2 r1",
      "fix 1/2 r1",
      "review 1/2 r2",
      "fix 1/2 r2",
      "review 1/2 r3",
      "implement 2/2",
      "review 2/2 r1",
      "final-review",
      "verify",
      "ready",
    ]);
    expect(eventsOf(events, "chunk_finished").map((event) => event.body)).toEqual([
      { chunk: 1, chunks: 2, rounds: 3 },
      { chunk: 2, chunks: 2, rounds: 1 },
    ]);
    const { inbox, pipeline } = await pipelineView(sandbox, id);
    expect(inbox.map((entry) => [entry.stage, entry.resolution, entry.response])).toEqual([
      ["review-cap", "revised", REVISION],
      ["review-cap", "approved", null],
    ]);
    expect(pipeline!.openFindings).toEqual([]);
    const ledger = artifact(task, "ledger.md");
    expect(ledger).toContain(`user revised review-cap item ${item!.id}: ${REVISION}`);
    expect(ledger).toContain(`user approved review-cap item ${again!.id}`);
    for (const round of [1, 2, 3])
      expect(artifact(task, `chunk-1-review-${round}.md`)).toContain(IMPORTANT_FINDING);

    // The user's revision is on the branch, and the second chunk built on it.
    expect(git(repo, ["show", `${task.branch}:src/farewell.js`])).toBe(
      'export function farewell(name = "friend") {\n  return "Goodbye, " + String(name).trim() + "!";\n}',
    );
    expect(branchCommits(repo, task).map((commit) => commit.subject)).toEqual([
      `Design: ${IDEA}`,
      `Plan: ${IDEA}`,
      "farewell() says goodbye by name",
      "Address review findings (chunk 1, round 1)",
      "Address review findings (chunk 1, round 2)",
      "farewell() without a name says goodbye to a friend",
    ]);
  }, 240_000);
});
