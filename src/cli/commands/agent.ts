import { realpathSync } from "node:fs";
import { join } from "node:path";
import { defineCommand } from "citty";
import { type AgentOutcome, runAgentLoop } from "../../agent/agent-loop.js";
import { createModelStream, routerConnection } from "../../agent/connect-model.js";
import { createHumanRenderer } from "../../agent/render-human.js";
import { type AgentSession, SessionStore } from "../../agent/session-store.js";
import { loadSystemPrompt } from "../../agent/system-prompt.js";
import { createReadOnlyTools, createTools } from "../../agent/tools/index.js";
import { groveHome } from "../../node/paths.js";
import {
  type AgentEventBody,
  agentEvent,
  emptyUsage,
  encodeAgentEvent,
} from "../../protocol/agent-events.js";
import { CliError } from "../errors.js";
import { readPrompt } from "../read-prompt.js";

const READ_ONLY_NOTE =
  "\n\nThis session is read-only: you have read, list, glob and grep, and cannot change files or run commands.";

/** Exit codes: what scripts and the orchestrator read. */
const EXIT = { success: 0, error: 1, max_turns: 3, aborted: 130 } as const;

export default defineCommand({
  meta: {
    name: "agent",
    description: "Run grove's built-in coding agent on any model (try --model demo offline)",
  },
  args: {
    prompt: { type: "positional", required: false, description: "What to do (or --file, or stdin)" },
    file: { type: "string", description: "Read the prompt from this file" },
    cwd: { type: "string", description: "Working directory the tools are confined to (default: current)" },
    model: { type: "string", description: "Model: a routed name, provider/model, or demo (default: demo)" },
    "base-url": {
      type: "string",
      description:
        "Talk to this Anthropic-compatible URL directly (default: ANTHROPIC_BASE_URL, else an in-process grove router)",
    },
    "api-key": { type: "string", description: "Key for --base-url (default: ANTHROPIC_API_KEY)" },
    json: { type: "boolean", description: "Write grove's JSONL event protocol to stdout" },
    "read-only": {
      type: "boolean",
      description: "Offer only the tools that read (read, list, glob, grep): no edits, no shell",
    },
    resume: { type: "string", description: "Continue a saved session (ses_…) with this prompt" },
    "max-turns": { type: "string", description: "Stop after this many model turns (default 50)" },
    "max-tokens": {
      type: "string",
      description: "Stop once the session used this many tokens (default: no limit)",
    },
    timeout: { type: "string", description: "Stop after this many seconds (default: no limit)" },
    "allow-secrets": {
      type: "boolean",
      description: "Let bash commands see API keys and tokens from the environment",
    },
  },
  async run({ args }) {
    const store = new SessionStore(join(groveHome(), "agent-sessions"));
    const prompt = await readPrompt(args.prompt, args.file);
    const previous = args.resume ? store.load(args.resume) : undefined;
    const cwd = realDirectory(args.cwd ?? previous?.cwd ?? process.cwd());
    const model = args.model ?? previous?.model ?? "demo";
    const baseUrl = args["base-url"] ?? process.env.ANTHROPIC_BASE_URL;
    const stream = createModelStream(
      baseUrl
        ? { baseUrl, apiKey: args["api-key"] ?? process.env.ANTHROPIC_API_KEY }
        : routerConnection(model),
    );
    // Recomputed on every run: a session resumed with other tools (read-only, then not) must be told so.
    const system = (await loadSystemPrompt(cwd)) + (args["read-only"] ? READ_ONLY_NOTE : "");
    if (previous) previous.system = system;
    const session: AgentSession = previous ?? {
      id: SessionStore.newId(),
      model,
      cwd,
      system,
      messages: [],
      usage: emptyUsage(),
      turns: 0,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
    session.messages.push({ role: "user", content: prompt });

    const render = args.json
      ? undefined
      : createHumanRenderer(
          (t) => process.stdout.write(t),
          (t) => process.stderr.write(t),
        );
    const emit = (body: AgentEventBody) => {
      const event = agentEvent(session.id, body);
      if (render) render(event);
      else process.stdout.write(encodeAgentEvent(event));
      if (event.type === "turn_completed") store.save(session);
    };

    const controller = new AbortController();
    const onSignal = () => {
      if (controller.signal.aborted) process.exit(EXIT.aborted); // A second Ctrl-C means now.
      controller.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);

    const started = Date.now();
    emit({ type: "session_started", agent: "builtin", model, cwd, resumed: previous !== undefined });
    let outcome: AgentOutcome;
    try {
      outcome = await runAgentLoop({
        model,
        system: session.system,
        messages: session.messages,
        tools: args["read-only"]
          ? createReadOnlyTools({ cwd })
          : createTools({ cwd, bash: { allowSecrets: args["allow-secrets"] } }),
        stream,
        signal: controller.signal,
        emit,
        limits: {
          maxTurns: positiveInt(args["max-turns"], "--max-turns") ?? 50,
          maxTokens: positiveInt(args["max-tokens"], "--max-tokens") ?? 0,
          maxWallMs: (positiveInt(args.timeout, "--timeout") ?? 0) * 1000,
        },
        contextWindow: 128_000,
      });
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    session.turns += outcome.turns;
    session.usage = outcome.usage;
    session.status = outcome.status;
    store.save(session);
    emit({
      type: "session_finished",
      status: outcome.status,
      summary: outcome.summary,
      usage: outcome.usage,
      turns: outcome.turns,
      duration_ms: Date.now() - started,
    });
    process.exitCode = EXIT[outcome.status];
  },
});

function realDirectory(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    throw new CliError(`--cwd ${path} does not exist`);
  }
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new CliError(`${flag} must be a whole number ≥ 0 (got "${value}")`);
  return number;
}
