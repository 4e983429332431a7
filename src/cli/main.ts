#!/usr/bin/env node
import { defineCommand, renderUsage, runCommand, showUsage } from "citty";
import { missingNodeFlags } from "../node/gc-mode.js";
import { relaunch, watchLauncher } from "../node/relaunch.js";
import { ConfigError } from "../router/config/resolve-config.js";
import { RouterError } from "../router/errors.js";
import { CliError } from "./errors.js";

const VERSION = "0.1.0";

const main = defineCommand({
  meta: {
    name: "grove",
    version: VERSION,
    description: "Parallel coding agents on any model, with one landing queue.",
  },
  subCommands: {
    demo: () => import("./commands/demo.js").then((m) => m.default),
    agent: () => import("./commands/agent.js").then((m) => m.default),
    router: () => import("./commands/router.js").then((m) => m.default),
    claude: () => import("./commands/claude.js").then((m) => m.default),
    codex: () => import("./commands/codex.js").then((m) => m.default),
    env: () => import("./commands/env.js").then((m) => m.default),
    "_run-agent": () => import("./commands/run-agent.js").then((m) => m.default),
    run: () => import("./commands/run.js").then((m) => m.default),
    plan: () => import("./commands/plan.js").then((m) => m.plan),
    inbox: () => import("./commands/inbox.js").then((m) => m.inbox),
    answer: () => import("./commands/inbox.js").then((m) => m.answer),
    approve: () => import("./commands/inbox.js").then((m) => m.approve),
    revise: () => import("./commands/inbox.js").then((m) => m.revise),
    triage: () => import("./commands/plan.js").then((m) => m.triage),
    ls: () => import("./commands/tasks.js").then((m) => m.ls),
    show: () => import("./commands/tasks.js").then((m) => m.show),
    logs: () => import("./commands/tasks.js").then((m) => m.logs),
    diff: () => import("./commands/tasks.js").then((m) => m.diff),
    path: () => import("./commands/tasks.js").then((m) => m.pathCommand),
    stop: () => import("./commands/tasks.js").then((m) => m.stop),
    resume: () => import("./commands/tasks.js").then((m) => m.resume),
    reply: () => import("./commands/tasks.js").then((m) => m.reply),
    land: () => import("./commands/tasks.js").then((m) => m.land),
    discard: () => import("./commands/tasks.js").then((m) => m.discard),
    gc: () => import("./commands/tasks.js").then((m) => m.gc),
    serve: () => import("./commands/serve.js").then((m) => m.default),
    daemon: () => import("./commands/daemon.js").then((m) => m.default),
    ui: () => import("./commands/ui.js").then((m) => m.default),
    worker: () => import("./commands/worker.js").then((m) => m.default),
  },
});

/** Commands that hand every argument to another program, `--help` included. */
const PASSTHROUGH = new Set(["claude", "codex"]);
/**
 * Commands that serve a router until stopped, run again in a node with grove's flags when they
 * lack them (see node/gc-mode.ts). The daemon and agent wrappers get the flags from whoever
 * starts them; `grove serve` run by hand is left as it is, as its pid is the daemon's.
 */
const RELAUNCHED = new Set(["router", "claude", "codex"]);

async function run(rawArgs: string[]): Promise<void> {
  const [first] = rawArgs;
  if (first && PASSTHROUGH.has(first)) {
    await runWithNodeFlags(rawArgs);
    return;
  }
  const beforeSeparator = rawArgs.includes("--") ? rawArgs.slice(0, rawArgs.indexOf("--")) : rawArgs;
  if (beforeSeparator.some((arg) => arg === "--help" || arg === "-h") || rawArgs.length === 0) {
    const [command, parent] = await resolveForUsage(rawArgs);
    await showUsage(command, parent);
    return;
  }
  if (rawArgs.length === 1 && (first === "--version" || first === "-v")) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  await runWithNodeFlags(rawArgs);
}

async function runWithNodeFlags(rawArgs: string[]): Promise<void> {
  const flags = RELAUNCHED.has(rawArgs[0] ?? "") ? missingNodeFlags() : [];
  if (flags.length > 0) await relaunch(flags, process.argv[1]!, rawArgs);
  await runCommand(main, { rawArgs });
}

type Command = Parameters<typeof showUsage>[0];

/** The command the arguments name, one level of subcommands deep (`grove worker init --help`). */
async function resolveForUsage(rawArgs: string[]): Promise<[Command, Command | undefined]> {
  let command: Command = main;
  let parent: Command | undefined;
  for (const name of rawArgs.filter((arg) => !arg.startsWith("-")).slice(0, 2)) {
    const sub = (command.subCommands as Record<string, unknown> | undefined)?.[name];
    if (!sub) break;
    parent = command;
    command = (typeof sub === "function" ? await sub() : sub) as Command;
  }
  return [command, parent];
}

async function report(error: unknown): Promise<never> {
  if (error instanceof CliError || error instanceof ConfigError || error instanceof RouterError) {
    process.stderr.write(`grove: ${error.message}\n`);
    process.exit(error instanceof CliError ? error.exitCode : 1);
  }
  if (error instanceof Error && error.name === "CLIError") {
    // citty's own argument errors (unknown command, missing argument): the usage makes them actionable.
    const [command, parent] = await resolveForUsage(process.argv.slice(2));
    process.stderr.write(`${await renderUsage(command, parent)}\n\ngrove: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `grove: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}

watchLauncher();
run(process.argv.slice(2)).catch(report);
