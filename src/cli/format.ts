/** How the CLI shows tasks and their events. */
import type { StoredEvent, Task } from "../orchestrator/task-store.js";

export function taskLine(task: Task): string {
  const model = task.model ?? "default";
  const what = (task.summary ?? task.prompt).split("\n")[0]!.slice(0, 60);
  return `${String(task.id).padStart(4)}  ${task.state.padEnd(17)} ${`${task.agent}/${model}`.padEnd(22)} ${task.branch.padEnd(30)} ${what}`;
}

export function taskTable(tasks: Task[]): string {
  if (tasks.length === 0) return 'no tasks yet: grove run "<what to do>" starts one\n';
  const header = `${"ID".padStart(4)}  ${"STATE".padEnd(17)} ${"AGENT/MODEL".padEnd(22)} ${"BRANCH".padEnd(30)} SUMMARY`;
  return `${[header, ...tasks.map(taskLine)].join("\n")}\n`;
}

export function taskDetails(task: Task): string {
  const rows: [string, string | number | null][] = [
    ["task", task.id],
    ["state", task.state],
    ["kind", task.kind],
    ["agent", task.agent],
    ["model", task.model ?? "default"],
    [
      "branch",
      `${task.branch} (from ${task.baseBranch}${task.baseCommit ? ` at ${task.baseCommit.slice(0, 12)}` : ""})`,
    ],
    ["worktree", task.worktree],
    ["ports", task.portBase === null ? null : `${task.portBase}… (PORT=${task.portBase})`],
    ["created", task.createdAt],
    ["started", task.startedAt],
    ["finished", task.finishedAt],
    ["tokens", `${task.inputTokens} in, ${task.outputTokens} out`],
    ["runs", task.runs],
    ["landed", task.landedCommit],
    ["archive", task.archiveRef],
    ["error", task.error],
    ["prompt", task.prompt],
    ["summary", task.summary],
  ];
  return `${rows
    .filter(([, value]) => value !== null && value !== "")
    .map(([name, value]) => `${name.padEnd(9)} ${String(value).replace(/\n/g, "\n          ")}`)
    .join("\n")}\n`;
}

/** One readable line per event (or nothing, for events only machines care about). */
export function eventLine(event: StoredEvent): string | undefined {
  const body = event.body;
  const time = event.ts.slice(11, 19);
  const text = (value: unknown) => String(value ?? "").trimEnd();
  switch (event.type) {
    case "task_created":
      return `${time} created: ${text(body.agent)} on ${text(body.branch)} from ${text(body.base)}`;
    case "state_changed":
      return `${time} ${text(body.from)} → ${text(body.to)}${body.error ? ` (${text(body.error)})` : ""}`;
    case "setup_output":
      return text(body.text).replace(/^/gm, `${time} setup │ `);
    case "run_started":
      return `${time} run ${text(body.run)} started${body.role ? ` · ${text(body.role)} (${text(body.agent)}${body.model ? `/${text(body.model)}` : ""})` : ""}${body.resumed ? " (follow-up)" : ""}`;
    case "pipeline_step":
      return `${time} ▸ ${text(body.step)}${body.chunk ? ` · chunk ${text(body.chunk)}/${text(body.chunks)}` : ""}${body.round ? ` · round ${text(body.round)}` : ""}${body.note ? ` (${text(body.note)})` : ""}`;
    case "pipeline_artifact":
      return body.appended ? undefined : `${time}   wrote ${text(body.path)}`;
    case "plan_checked": {
      const problems = (body.problems as { line: number; message: string }[] | undefined) ?? [];
      return `${time}   plan check: ${problems.length === 0 ? "passed" : `${problems.length} problem(s)`}`;
    }
    case "review_finished": {
      const findings = (body.findings as { severity: string }[] | undefined) ?? [];
      return `${time}   ${body.final ? "final review" : "review"}: ${text(body.verdict ?? "no verdict")}${findings.length ? ` (${findings.map((f) => f.severity).join(", ")})` : ""}`;
    }
    case "verify_finished":
      return `${time}   tests: ${body.exitCode === 0 ? "passed" : `failed (exit ${text(body.exitCode)})`}`;
    case "inbox_opened":
      return `${time} ⧗ inbox #${text(body.item)} (${text(body.about)}): ${text(body.text).split("\n")[0]}`;
    case "inbox_resolved":
      return `${time}   inbox #${text(body.item)} ${text(body.resolution)}${body.response ? `: ${text(body.response)}` : ""}`;
    case "triage_finished": {
      const skipped = (body.skipped as { ref: string; decision: string; reason: string }[] | undefined) ?? [];
      return `${time}   triage: ${text(body.accepted)} accepted, ${skipped.length} skipped${skipped.map((s) => `\n${time}     skipped ${s.ref} (${s.decision}): ${s.reason}`).join("")}${body.verdict ? `\n${time}     reviewer: ${text(body.verdict)}` : ""}`;
    }
    case "message":
      return `${time} ${text(body.text)}`;
    case "tool_call_started":
      return `${time} → ${text(body.name)} ${JSON.stringify(body.input).slice(0, 120)}`;
    case "tool_call_finished":
      return body.is_error ? `${time}   ✗ ${text(body.output).split("\n")[0]}` : undefined;
    case "question":
      return `${time} ? ${text(body.text)}`;
    case "error":
      return `${time} error: ${text(body.message)}`;
    case "session_finished":
      return `${time} agent finished: ${text(body.status)}`;
    case "reply":
      return `${time} reply: ${text(body.message)}`;
    case "run_queued":
      return `${time} waiting for an agent slot (the repository runs at most ${text(body.concurrency)} at once)`;
    case "land_progress":
      return `${time} landing: ${text(body.step)}`;
    case "land_finished":
      return `${time} landing ${text(body.result)}${body.files ? `: ${(body.files as string[]).join(", ")}` : ""}${body.output ? `\n${text(body.output)}` : ""}`;
    default:
      return undefined;
  }
}
