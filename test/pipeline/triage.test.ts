/**
 * External review triage: a done maintenance task (implement, review, done) gets a review file
 * with one real finding and one wrong one. `grove triage --review file --wait` has the reviewer
 * weigh them; the accepted one becomes exactly one fix chunk for the implementer, re-reviewed,
 * and the rejected one is listed for the user. The task ends done again.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ScriptReply } from "../../src/router/script/script-schema.js";
import {
  disposeAll,
  eventsOf,
  git,
  grove,
  groveOk,
  makeSandbox,
  taskEvents,
} from "../orchestrator/harness.js";
import {
  artifact,
  bash,
  branchCommits,
  edit,
  pipelineRepo,
  pipelineView,
  ROLE_MODELS,
  reply,
  runsOf,
  settle,
  step,
  stepTrail,
  useRoleScripts,
  write,
} from "./pipeline-harness.js";

const PROMPT = "Add shout(name) in src/shout.js: greet in capitals";

const SHOUT = 'export function shout(name) {\n  return "HELLO, " + name.toUpperCase() + "!";\n}\n';
const SHOUT_TEST = `import assert from "node:assert/strict";
import { test } from "node:test";
import { shout } from "../src/shout.js";

test("shouts the name", () => {
  assert.equal(shout("Ada"), "HELLO, ADA!");
});
`;
const SHOUT_DEFAULT_TEST = `
test("shouts at the world without a name", () => {
  assert.equal(shout(), "HELLO, WORLD!");
});
`;

/** What an outside reviewer wrote: finding 1 is real, finding 2 is wrong (and outside the change). */
const REVIEW = `Review of the shout change

1. src/shout.js:2 — shout() with no name throws a TypeError (undefined has no toUpperCase); default the name to "world".
2. src/greet.js:2 — greet() must use a template literal; string concatenation is deprecated in this codebase.
`;

const TRIAGE = `# Triage

- [accept] 1: src/shout.js:2 — Right: shout() reads name.toUpperCase() with no default, so shout() throws. Default the name to "world" and test it.
- [reject] 2: src/greet.js:2 — Wrong: greet() is not part of this change, and nothing in the codebase deprecates concatenation; greet.js uses it on purpose.

VERDICT: hire — found a real crash, though the second finding was out of scope.`;

const implementer: ScriptReply[] = [
  reply(step("implement", { anyMessageContains: "shout", turn: 0 }), {
    text: "Test first, then shout().",
    toolCalls: [write("test/shout.test.js", SHOUT_TEST), write("src/shout.js", SHOUT)],
  }),
  reply(step("implement", { anyMessageContains: "shout", turn: 1 }), {
    text: "Running the tests.",
    toolCalls: [bash("node --test")],
  }),
  reply(step("implement", { anyMessageContains: "shout", turn: 2 }), {
    text: "shout(name) greets in capitals; `node --test` passes.\n\nSTATUS: DONE",
  }),
  // The triage's fix chunk (a fresh session).
  reply(step("fix", { lastToolResultContains: "fail 0" }), {
    text: 'shout() defaults the name to "world" now, with a test.\n\nSTATUS: DONE',
  }),
  reply(step("fix", { lastToolResultContains: "Replaced" }), {
    text: "Running the tests.",
    toolCalls: [bash("node --test")],
  }),
  reply(step("fix", { turn: 0 }), {
    text: "Defaulting the name.",
    toolCalls: [
      edit("src/shout.js", "shout(name)", 'shout(name = "world")'),
      edit("test/shout.test.js", '"HELLO, ADA!");\n});\n', `"HELLO, ADA!");\n});\n${SHOUT_DEFAULT_TEST}`),
    ],
  }),
];

const reviewer: ScriptReply[] = [
  reply(step("review", { anyMessageContains: "Fix these accepted findings of an external review" }), {
    text: "The default is there and tested.\n\nVERDICT: APPROVED\nFINDINGS: none",
  }),
  reply(step("review", { anyMessageContains: "shout" }), {
    text: "shout() does what the task asks, with a test.\n\nVERDICT: APPROVED\nFINDINGS: none",
  }),
  reply(step("triage", { turn: 0 }), {
    text: "Reading the code the review talks about.",
    toolCalls: [
      { name: "read", arguments: { path: "src/shout.js" } },
      { name: "read", arguments: { path: "src/greet.js" } },
    ],
  }),
  reply(step("triage", { turn: 1 }), { text: TRIAGE }),
];

afterEach(disposeAll);

describe("grove triage", () => {
  it("accepts the good finding, rejects the wrong one, and runs exactly one fix chunk", async () => {
    const sandbox = makeSandbox("grove-triage-");
    const repo = await pipelineRepo(sandbox);
    useRoleScripts(sandbox, { architect: [], implementer, reviewer });

    // A maintenance task: implement, review, done.
    const id = Number((await groveOk(sandbox, ["run", PROMPT], { cwd: repo })).trim());
    const first = await settle(sandbox, id, "done");
    expect(stepTrail(await taskEvents(sandbox, id))).toEqual(["implement 1/1", "review 1/1 r1", "ready"]);
    const implementReport = artifact(first, "chunk-1-report-1.md");
    const before = git(repo, ["rev-parse", first.branch]);

    const reviewFile = join(sandbox.root, "review.md");
    writeFileSync(reviewFile, REVIEW);
    const triaged = await grove(sandbox, ["triage", String(id), "--review", reviewFile, "--wait"], {
      cwd: repo,
      timeoutMs: 120_000,
    });
    expect(triaged.code, `${triaged.stdout}\n${triaged.stderr}`).toBe(0);
    expect(triaged.stderr).toContain(`task ${id}: triaging the review`);
    expect(triaged.stdout).toMatch(new RegExp(`^task ${id}: done$`, "m"));
    const task = await settle(sandbox, id, "done");

    // triage.md: one accept, one reject, and the verdict on the reviewer.
    expect(artifact(task, "triage.md")).toBe(`${TRIAGE}\n`);
    const events = await taskEvents(sandbox, id);
    expect(eventsOf(events, "triage_started").map((event) => event.body.review)).toEqual([REVIEW]);
    const [finished, ...moreTriages] = eventsOf(events, "triage_finished");
    expect(moreTriages).toEqual([]);
    expect(finished!.body).toEqual({
      accepted: 1,
      skipped: [
        {
          ref: "2",
          decision: "reject",
          location: "src/greet.js:2",
          reason:
            "Wrong: greet() is not part of this change, and nothing in the codebase deprecates concatenation; greet.js uses it on purpose.",
        },
      ],
      verdict: "hire — found a real crash, though the second finding was out of scope.",
    });

    // After the triage: exactly one fix chunk (one implementer run) and one re-review.
    expect(stepTrail(events)).toEqual([
      "implement 1/1",
      "review 1/1 r1",
      "ready",
      "triage",
      "fix 1/1",
      "review 1/1 r1",
      "ready",
    ]);
    const runs = runsOf(task);
    expect(runs.map((run) => [run.step, run.model, run.readOnly ?? false])).toEqual([
      ["implement", ROLE_MODELS.implementer, false],
      ["review", ROLE_MODELS.reviewer, true],
      ["triage", ROLE_MODELS.reviewer, true],
      ["fix", ROLE_MODELS.implementer, false],
      ["review", ROLE_MODELS.reviewer, true],
    ]);
    expect(runs[2]!.prompt).toContain(`The review:\n\n${REVIEW}`);
    const fix = runs[3]!;
    expect(fix.resumeSessionId).toBeUndefined();
    const accepted =
      /Fix exactly these accepted findings, nothing else:\n\n([\s\S]*?)\n\nThe full review/.exec(fix.prompt);
    expect(accepted?.[1]).toBe(
      '- 1 src/shout.js:2 — Right: shout() reads name.toUpperCase() with no default, so shout() throws. Default the name to "world" and test it.',
    );
    expect(runs[4]!.prompt).toContain("Fix these accepted findings of an external review:");
    expect(runs[4]!.prompt).toContain('+export function shout(name = "world") {');
    expect(runs[4]!.prompt).not.toContain("+++ b/test/shout.test.js\n@@ -0,0"); // Only the fix's diff.

    // The branch: the original commit, then the fix; greet.js untouched.
    expect(git(repo, ["rev-list", "--count", `${before}..${task.branch}`])).toBe("1");
    const commits = branchCommits(repo, task);
    expect(commits.map((commit) => [commit.subject, commit.files])).toEqual([
      [PROMPT, ["src/shout.js", "test/shout.test.js"]],
      ["Fix the accepted findings of an external review", ["src/shout.js", "test/shout.test.js"]],
    ]);
    expect(git(repo, ["diff", task.baseCommit!, task.branch, "--", "src/greet.js"])).toBe("");
    expect(git(repo, ["show", `${task.branch}:src/shout.js`])).toContain('shout(name = "world")');
    expect(artifact(task, "triage-fix-review.md")).toContain("VERDICT: APPROVED");

    // Every report is kept: the triage's fix does not overwrite the original implementer report.
    expect(artifact(task, "chunk-1-report-1.md")).toBe(implementReport);
    const reports = eventsOf(events, "pipeline_artifact")
      .map((event) => event.body as { name: string; text: string })
      .filter((entry) => entry.text.includes("STATUS: DONE"));
    expect(reports).toHaveLength(2);
    expect(reports.map((entry) => entry.name)).toEqual(["chunk-1-report-1.md", "triage-fix-report.md"]);

    const { pipeline } = await pipelineView(sandbox, id);
    expect(pipeline).toMatchObject({ step: "ready", lane: "maintenance" });
    expect(pipeline!.triage).toBeUndefined();
    expect([pipeline!.usage.implementer?.runs, pipeline!.usage.reviewer?.runs]).toEqual([2, 3]);
  }, 180_000);
});
