import { describe, expect, it } from "vitest";
import { parseRoute } from "../router";
import type { StoredEvent } from "../types";
import { countFindings, pipelineNote, pipelineStages, stagePlace } from "./pipeline";
import { buildTranscript } from "./transcript";

let seq = 0;
const event = (type: string, body: Record<string, unknown>): StoredEvent => ({
  taskId: 1,
  seq: ++seq,
  ts: `2025-01-01T10:00:${String(seq % 60).padStart(2, "0")}.000Z`,
  type,
  body,
});

/** The demo's feature pipeline with its spec gate, as the daemon logs it. */
const LOG = [
  event("pipeline_step", { step: "brainstorm", role: "architect" }),
  event("run_started", { run: 1, agent: "builtin", model: "demo", role: "architect", readOnly: true }),
  event("pipeline_step", { step: "spec", role: "architect" }),
  event("inbox_opened", { item: 4, kind: "gate", about: "spec", text: "Spec written." }),
  event("inbox_resolved", { item: 4, resolution: "approved", response: null }),
  event("pipeline_step", { step: "plan", role: "architect" }),
  event("plan_checked", { problems: [] }),
  event("pipeline_step", { step: "implement", role: "implementer", chunk: 1, chunks: 2 }),
  event("pipeline_step", { step: "review", role: "reviewer", chunk: 1, chunks: 2, round: 1 }),
  // Nudged for its format: the same round again, shown once.
  event("pipeline_step", { step: "review", role: "reviewer", chunk: 1, chunks: 2, round: 1 }),
  event("review_finished", {
    verdict: "CHANGES_REQUESTED",
    round: 1,
    findings: [
      { severity: "minor", location: "a.js:1", text: "x" },
      { severity: "important", location: "a.js:2", text: "y" },
    ],
  }),
  event("pipeline_step", { step: "fix", role: "implementer", chunk: 1, chunks: 2, round: 1 }),
  event("pipeline_step", { step: "review", role: "reviewer", chunk: 1, chunks: 2, round: 2 }),
  event("review_finished", { verdict: "APPROVED", round: 2, findings: [] }),
  event("pipeline_step", { step: "final-review", role: "reviewer" }),
  event("review_finished", { verdict: "APPROVED", final: true, findings: [] }),
  event("pipeline_step", { step: "verify", command: "node --test" }),
  event("verify_finished", { exitCode: 1, timedOut: false }),
];

describe("the pipeline's stages", () => {
  it("lists each step once, with verdicts, test results and gate resolutions", () => {
    const stages = pipelineStages(LOG);
    expect(
      stages.map((stage) => [stage.step, stagePlace(stage), stage.outcome?.text ?? "", stage.findings ?? ""]),
    ).toEqual([
      ["brainstorm", "", "", ""],
      ["spec", "", "", ""],
      ["gate", "", "approved", ""],
      ["plan", "", "plan check passed", ""],
      ["implement", "chunk 1/2", "", ""],
      ["review", "chunk 1/2 · round 1", "CHANGES_REQUESTED", "1 important, 1 minor"],
      ["fix", "chunk 1/2 · round 1", "", ""],
      ["review", "chunk 1/2 · round 2", "APPROVED", ""],
      ["final-review", "", "APPROVED", ""],
      ["verify", "", "tests failed (exit 1)", ""],
    ]);
    expect(stages[2]).toMatchObject({ item: 4, about: "spec", outcome: { tone: "good" } });
    expect(stages[5]?.outcome?.tone).toBe("bad");
  });

  it("counts findings by severity, most severe first", () => {
    expect(
      countFindings([{ severity: "minor" }, { severity: "critical" }, { severity: "minor" }, { other: 1 }]),
    ).toBe("1 critical, 2 minor, 1 unrated");
    expect(countFindings(undefined)).toBe("");
  });

  it("tells the transcript what each pipeline event did, and which role ran", () => {
    expect(pipelineNote(LOG[8]!)).toBe("▸ Review · chunk 1/2 · round 1 (reviewer)");
    expect(pipelineNote(LOG[3]!)).toBe("waiting for you: spec approval (inbox #4)");
    expect(pipelineNote(LOG[10]!)).toBe("review: CHANGES_REQUESTED (1 important, 1 minor)");
    expect(pipelineNote(event("text_delta", { text: "x" }))).toBeUndefined();
    const items = buildTranscript(LOG.slice(0, 5));
    expect(items.map((item) => ("text" in item ? item.text : item.kind))).toEqual([
      "▸ Brainstorm (architect)",
      "run 1 started: architect · builtin/demo (read-only)",
      "▸ Spec (architect)",
      "waiting for you: spec approval (inbox #4)",
      "inbox #4 approved",
    ]);
  });

  it("routes /inbox to the Inbox", () => {
    expect(parseRoute("/inbox")).toEqual({ name: "inbox" });
    expect(parseRoute("/tasks/3", "?tab=pipeline")).toEqual({ name: "task", id: 3, tab: "pipeline" });
  });
});
