/**
 * A pipeline agent often repairs several spots of one file in one turn (the architect fixing two
 * plan-check problems, the implementer two findings). grove's built-in agent runs a turn's tool
 * calls in parallel, so both edits must land, not just the one that wrote last.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { disposeAll, grove, makeSandbox, useScript } from "../orchestrator/harness.js";
import { edit } from "./pipeline-harness.js";

afterEach(disposeAll);

describe("the built-in agent's tool calls in one turn", () => {
  it("applies two edits of the same file", async () => {
    const sandbox = makeSandbox("grove-parallel-edits-");
    const dir = join(sandbox.root, "work");
    mkdirSync(dir);
    const plan = "## Task 1\nTest: TBD\n\n## Task 2\nSteps: similar to Task 1\n";
    writeFileSync(join(dir, "plan.md"), plan);
    useScript(sandbox, [
      {
        when: { turn: 0 },
        toolCalls: [
          edit("plan.md", "Test: TBD", "Test: `node --test`"),
          edit("plan.md", "Steps: similar to Task 1", "Steps: 1. Add the test."),
        ],
      },
      { when: { turn: 1 }, text: "Both fixed." },
    ]);
    const result = await grove(sandbox, ["agent", "--model", "s", "--cwd", dir, "Fix both placeholders"]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, "plan.md"), "utf8")).toBe(
      "## Task 1\nTest: `node --test`\n\n## Task 2\nSteps: 1. Add the test.\n",
    );
  }, 30_000);
});
