/**
 * The end of the pipeline: the final whole-branch review sends the branch back once (its finding
 * goes to a fresh implementer verbatim), and then the repository's tests fail once (their output
 * goes to a fresh implementer). Both are fixed, and the task is done.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ScriptReply } from "../../src/router/script/script-schema.js";
import { disposeAll, eventsOf, git, makeSandbox, taskEvents } from "../orchestrator/harness.js";
import { APPROVED, featureScripts, IDEA } from "./feature-scripts.js";
import {
  artifact,
  branchCommits,
  edit,
  pipelineRepo,
  reply,
  runsOf,
  settle,
  startPlan,
  step,
  stepTrail,
  useRoleScripts,
  write,
} from "./pipeline-harness.js";

const README_FINDING =
  "- [important] README.md:3 — The README does not mention farewell(); callers will not find it.";
const README_LINE = "`farewell(name)` says goodbye.";
const README_FIXED = '`farewell(name)` says goodbye; `farewell()` says "Goodbye, friend!".';
/** The sloppy part of the final fix: a test the README does not pass yet. */
const README_TEST = `import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

test("the README documents the friend default", () => {
  assert.match(readFileSync("README.md", "utf8"), /Goodbye, friend!/);
});
`;

afterEach(disposeAll);

describe("the final review and the tests", () => {
  it("send the branch back to a fresh implementer once each, and the task ends done", async () => {
    const sandbox = makeSandbox("grove-final-review-");
    const repo = await pipelineRepo(sandbox, { chunkSize: 2 });
    const scripts = featureScripts({ chunk1Review: "approve" });
    const finalFix = { lastUserContains: "README.md:3" };
    const implementer: ScriptReply[] = [
      reply(
        { ...finalFix, turn: 0 },
        {
          text: "Documenting farewell(), with a test for the README.",
          toolCalls: [
            edit(
              "README.md",
              "Run the tests with `npm test`.\n",
              `Run the tests with \`npm test\`.\n\n${README_LINE}\n`,
            ),
            write("test/readme.test.js", README_TEST),
          ],
        },
      ),
      reply({ ...finalFix, turn: 1 }, { text: "The README mentions farewell() now.\n\nSTATUS: DONE" }),
      reply(step("verify-fix", { turn: 0 }), {
        text: "The README lacks the friend default.",
        toolCalls: [edit("README.md", README_LINE, README_FIXED)],
      }),
      reply(step("verify-fix", { turn: 1 }), { text: "The README names the default now.\n\nSTATUS: DONE" }),
      ...scripts.implementer,
    ];
    const reviewer: ScriptReply[] = [
      reply(step("final-review", { anyMessageContains: README_LINE }), {
        text: `The README is right now.\n\n${APPROVED}`,
      }),
      reply(step("final-review"), {
        text: `R1 and R2 are met, but nobody will find farewell().\n\nVERDICT: CHANGES_REQUESTED\nFINDINGS:\n${README_FINDING}`,
      }),
      ...scripts.reviewer,
    ];
    useRoleScripts(sandbox, { ...scripts, implementer, reviewer });
    const id = await startPlan(sandbox, repo, "--auto", IDEA);
    const task = await settle(sandbox, id, "done");

    const events = await taskEvents(sandbox, id);
    expect(stepTrail(events)).toEqual([
      "brainstorm",
      "spec",
      "plan",
      "implement 1/1",
      "review 1/1 r1",
      "final-review",
      "final-fix",
      "final-review",
      "verify",
      "verify-fix",
      "verify",
      "ready",
    ]);
    expect(eventsOf(events, "verify_finished").map((event) => event.body.exitCode)).toEqual([1, 0]);

    const runs = runsOf(task);
    const finalFix1 = runs.find((run) => run.step === "fix")!;
    const verifyFix = runs.find((run) => run.step === "verify-fix")!;
    // The final review's finding, verbatim, to a fresh implementer.
    expect(finalFix1.resumeSessionId).toBeUndefined();
    expect(finalFix1.prompt).toContain(`(verbatim):\n\n${README_FINDING}\n`);
    // The failing test's output, to another fresh implementer.
    expect(verifyFix.resumeSessionId).toBeUndefined();
    expect(verifyFix.prompt).toContain("The repository's tests fail on this branch (`node --test`)");
    expect(verifyFix.prompt).toContain("the README documents the friend default");
    expect(artifact(task, "verify-1.log")).toContain("# fail 1");
    expect(artifact(task, "verify-2.log")).toContain("# fail 0");
    expect(artifact(task, "final-review-1.md")).toContain(README_FINDING);
    expect(artifact(task, "final-review-2.md")).toContain("VERDICT: APPROVED");
    expect(artifact(task, "final-fix-report.md")).toContain("STATUS: DONE");
    expect(artifact(task, "verify-fix-report.md")).toContain("STATUS: DONE");

    expect(branchCommits(repo, task).map((commit) => [commit.subject, commit.files])).toEqual([
      [`Design: ${IDEA}`, [expect.stringMatching(/-design\.md$/)]],
      [`Plan: ${IDEA}`, [expect.stringMatching(/-plan\.md$/)]],
      ["farewell() says goodbye by name (plan tasks 1-2)", ["src/farewell.js", "test/farewell.test.js"]],
      ["Address the final review's findings", ["README.md", "test/readme.test.js"]],
      ["Fix the failing tests", ["README.md"]],
    ]);
    expect(git(repo, ["show", `${task.branch}:README.md`])).toContain(README_FIXED);
  }, 240_000);
});
