/**
 * A pipeline as the page tells it: names for its steps and gates, the stages a task has been
 * through (from its `pipeline_step` events, each with its outcome: a review's verdict, the
 * tests' result, a gate's resolution), and one transcript line per pipeline event.
 */
import type { StoredEvent } from "../types";

const STEP_LABELS: Record<string, string> = {
  brainstorm: "Brainstorm",
  spec: "Spec",
  plan: "Plan",
  implement: "Implement",
  fix: "Fix the findings",
  review: "Review",
  "final-review": "Final review",
  "final-fix": "Fix the final review's findings",
  verify: "Verify",
  "verify-fix": "Fix the tests",
  triage: "Triage",
  gate: "Waiting for you",
  ready: "Ready for review",
};

/** What a gate (or an inbox item's stage) is about. */
const GATE_LABELS: Record<string, string> = {
  question: "architect's question",
  agent: "agent's question",
  spec: "spec approval",
  "plan-lint": "plan check",
  "review-cap": "review cap",
  "final-review": "final review",
  verify: "failing tests",
  report: "implementer's report",
};

export const stepLabel = (step: string) => STEP_LABELS[step] ?? step;
export const gateLabel = (about: string) => GATE_LABELS[about] ?? about;

export type Tone = "good" | "bad" | "neutral";

export interface Stage {
  key: string;
  seq: number;
  ts: string;
  step: string;
  role?: string;
  chunk?: number;
  chunks?: number;
  round?: number;
  /** A gate's inbox item and what it is about. */
  item?: number;
  about?: string;
  /** Known once the stage is over: a verdict, the tests' result, how a gate was resolved. */
  outcome?: { text: string; tone: Tone };
  /** A review's findings by severity, e.g. "1 important, 2 minor". */
  findings?: string;
}

const str = (value: unknown) => (value === undefined || value === null ? "" : String(value));
const num = (value: unknown) => (typeof value === "number" && value > 0 ? value : undefined);

const SEVERITIES = ["critical", "important", "minor"];

/** "1 critical, 2 minor": a review's findings counted by severity, most severe first. */
export function countFindings(findings: unknown): string {
  if (!Array.isArray(findings)) return "";
  const counts = new Map<string, number>();
  for (const finding of findings) {
    const severity = str((finding as { severity?: unknown } | null)?.severity) || "unrated";
    counts.set(severity, (counts.get(severity) ?? 0) + 1);
  }
  const rank = (severity: string) => {
    const index = SEVERITIES.indexOf(severity);
    return index === -1 ? SEVERITIES.length : index;
  };
  return [...counts]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([severity, count]) => `${count} ${severity}`)
    .join(", ");
}

const VERDICT_TONE: Record<string, Tone> = { APPROVED: "good", CHANGES_REQUESTED: "bad" };
const RESOLUTION_TONE: Record<string, Tone> = { approved: "good", answered: "good" };

/** The stages in a task's log, oldest first; a step an agent was nudged to redo counts once. */
export function pipelineStages(events: readonly StoredEvent[]): Stage[] {
  const stages: Stage[] = [];
  const lastOf = (...steps: string[]) => stages.findLast((stage) => steps.includes(stage.step));
  for (const { type, body, seq, ts } of events) {
    const base = { key: `s${seq}`, seq, ts };
    if (type === "pipeline_step") {
      const stage: Stage = {
        ...base,
        step: str(body.step),
        ...(body.role ? { role: str(body.role) } : {}),
        ...(num(body.chunk) ? { chunk: num(body.chunk), chunks: num(body.chunks) } : {}),
        ...(num(body.round) ? { round: num(body.round) } : {}),
      };
      const last = stages.at(-1);
      const again =
        last &&
        !last.outcome &&
        last.step === stage.step &&
        last.chunk === stage.chunk &&
        last.round === stage.round;
      if (!again) stages.push(stage);
    } else if (type === "review_finished") {
      const stage = lastOf("review", "final-review");
      if (!stage) continue;
      const verdict = str(body.verdict) || "no verdict";
      stage.outcome = { text: verdict, tone: VERDICT_TONE[verdict] ?? "bad" };
      stage.findings = countFindings(body.findings);
    } else if (type === "verify_finished") {
      const stage = lastOf("verify");
      if (stage)
        stage.outcome =
          body.exitCode === 0
            ? { text: "tests passed", tone: "good" }
            : {
                text: body.timedOut ? "tests timed out" : `tests failed (exit ${str(body.exitCode)})`,
                tone: "bad",
              };
    } else if (type === "plan_checked") {
      const stage = lastOf("plan");
      const problems = Array.isArray(body.problems) ? body.problems.length : 0;
      if (stage)
        stage.outcome =
          problems === 0
            ? { text: "plan check passed", tone: "good" }
            : { text: `plan check: ${problems} problem${problems === 1 ? "" : "s"}`, tone: "bad" };
    } else if (type === "inbox_opened") {
      stages.push({ ...base, step: "gate", item: Number(body.item), about: str(body.about) });
    } else if (type === "inbox_resolved") {
      const stage = stages.findLast((candidate) => candidate.item === Number(body.item));
      const resolution = str(body.resolution);
      if (stage) stage.outcome = { text: resolution, tone: RESOLUTION_TONE[resolution] ?? "neutral" };
    } else if (type === "triage_finished") {
      const stage = lastOf("triage");
      if (stage) stage.outcome = { text: `${str(body.accepted)} accepted`, tone: "neutral" };
    }
  }
  return stages;
}

/** Where a stage sits: "chunk 1/2 · round 2". */
export function stagePlace(stage: Pick<Stage, "chunk" | "chunks" | "round">): string {
  return [
    stage.chunk ? `chunk ${stage.chunk}/${stage.chunks ?? "?"}` : "",
    stage.round ? `round ${stage.round}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

/** One line for the transcript per pipeline event, or undefined for other events. */
export function pipelineNote(event: StoredEvent): string | undefined {
  const body = event.body;
  switch (event.type) {
    case "pipeline_step": {
      const place = stagePlace({ chunk: num(body.chunk), chunks: num(body.chunks), round: num(body.round) });
      return `▸ ${stepLabel(str(body.step))}${place ? ` · ${place}` : ""}${body.role ? ` (${str(body.role)})` : ""}`;
    }
    case "review_finished": {
      const findings = countFindings(body.findings);
      return `${body.final ? "final review" : "review"}: ${str(body.verdict) || "no verdict"}${findings ? ` (${findings})` : ""}`;
    }
    case "verify_finished":
      return body.exitCode === 0 ? "tests passed" : `tests failed (exit ${str(body.exitCode)})`;
    case "plan_checked": {
      const problems = Array.isArray(body.problems) ? body.problems.length : 0;
      return problems === 0 ? "plan check passed" : `plan check: ${problems} problem(s)`;
    }
    case "inbox_opened":
      return `waiting for you: ${gateLabel(str(body.about))} (inbox #${str(body.item)})`;
    case "inbox_resolved":
      return `inbox #${str(body.item)} ${str(body.resolution)}${body.response ? `: ${str(body.response).split("\n")[0]}` : ""}`;
    case "triage_finished":
      return `triage: ${str(body.accepted)} accepted`;
    default:
      return undefined;
  }
}
