/**
 * A pipeline's durable state: one JSON document per task in SQLite, written after every step,
 * so a restarted daemon picks the pipeline up at the step where it stopped.
 */
import { z } from "zod";
import type { Db } from "../db.js";

export const ROLES = ["architect", "implementer", "reviewer"] as const;
export type Role = (typeof ROLES)[number];

const findingSchema = z.object({
  severity: z.enum(["critical", "important", "minor"]),
  location: z.string(),
  text: z.string(),
});
export type StoredFinding = z.infer<typeof findingSchema>;

/**
 * What the pipeline is doing now. A `run` step has an agent run in flight; `gate` waits on an
 * inbox item; `verify` runs the repository's tests in the daemon; `ready` is the review queue.
 */
export const STEPS = [
  "brainstorm",
  "spec",
  "plan",
  "implement",
  "fix",
  "review",
  "final-review",
  "final-fix",
  "verify",
  "verify-fix",
  "triage",
  "gate",
  "ready",
] as const;
export type Step = (typeof STEPS)[number];

const usageSchema = z.object({ input: z.number(), output: z.number(), runs: z.number() });

export const pipelineStateSchema = z.object({
  lane: z.enum(["feature", "maintenance"]),
  auto: z.boolean(),
  step: z.enum(STEPS),
  /** The step an open gate returns to, and what the gate is about. */
  gate: z
    .object({
      item: z.number(),
      about: z.enum(["question", "spec", "plan-lint", "review-cap", "final-review", "verify", "report"]),
      resume: z.enum(STEPS),
    })
    .optional(),
  /** The run the current step started; a finished run at or below it was already handled. */
  run: z.number().default(0),
  handledRun: z.number().default(0),
  /** Agent sessions by role, for resuming the same conversation. */
  sessions: z.partialRecord(z.enum(ROLES), z.string()).default({}),
  questions: z.number().default(0),
  nudges: z.number().default(0),
  specPath: z.string().optional(),
  planPath: z.string().optional(),
  planFixes: z.number().default(0),
  chunk: z.number().default(0),
  chunks: z.number().default(0),
  round: z.number().default(0),
  /** HEAD when the current chunk (or fix wave) started: the reviewer's diff base. */
  chunkBase: z.string().optional(),
  openFindings: z.array(findingSchema).default([]),
  /** Minor findings kept for the final review (the ledger). */
  minors: z.array(findingSchema).default([]),
  concerns: z.string().optional(),
  finalRounds: z.number().default(0),
  verifyFixes: z.number().default(0),
  /** Triage of an external review: its accepted findings become one fix chunk. */
  triage: z.object({ accepted: z.array(z.string()), reviewText: z.string() }).optional(),
  usage: z.partialRecord(z.enum(ROLES), usageSchema).default({}),
  /** The current step's run as it was asked for, so `grove resume` can ask again. */
  lastRun: z
    .object({
      role: z.enum(ROLES),
      prompt: z.string(),
      readOnly: z.boolean().optional(),
      resume: z.boolean().optional(),
      fresh: z.boolean().optional(),
      commitMessage: z.string().optional(),
      session: z.string().optional(),
    })
    .optional(),
});

export type PipelineState = z.infer<typeof pipelineStateSchema>;

export function initialState(lane: PipelineState["lane"], auto: boolean): PipelineState {
  return pipelineStateSchema.parse({ lane, auto, step: lane === "feature" ? "brainstorm" : "implement" });
}

export class PipelineStore {
  constructor(private readonly db: Db) {}

  get(taskId: number): PipelineState | undefined {
    const row = this.db.prepare("SELECT state FROM pipelines WHERE task_id = ?").get(taskId) as
      | { state: string }
      | undefined;
    if (!row) return undefined;
    return pipelineStateSchema.parse(JSON.parse(row.state));
  }

  save(taskId: number, state: PipelineState): void {
    this.db
      .prepare(
        `INSERT INTO pipelines (task_id, state, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(task_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      )
      .run(taskId, JSON.stringify(state), new Date().toISOString());
  }
}
