/**
 * Runs a grove command again in a node started with the flags it needs (see gc-mode.ts). V8's
 * GC flags can only be given at start-up: they are refused in NODE_OPTIONS, and setting them
 * later crashes V8.
 *
 * The first process (the launcher) stays in front: the second one shares its terminal and its
 * stdin, stdout and stderr, gets the signals sent to the launcher (those a terminal sends to
 * both come once), and the launcher ends as it ends, with its exit code or by its signal. If the
 * launcher is killed outright (SIGKILL, which cannot be passed on), the second one hears its IPC
 * channel close and stops too, so a killed `grove router` never leaves a router behind.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { isatty } from "node:tty";

/** Not SIGUSR1: node keeps that one for its debugger. */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
/**
 * What a terminal sends to its whole foreground process group (Ctrl-C, Ctrl-\, a hang-up): the
 * second process, in the same group, gets them from the terminal itself. Passed on too, they
 * would come twice, and a second Ctrl-C ends a router at once instead of letting it close.
 */
const TERMINAL_SIGNALS = new Set<NodeJS.Signals>(["SIGINT", "SIGQUIT", "SIGHUP"]);
/** Set for the second process, so it knows its launcher's IPC channel is there to watch. */
const RELAUNCHED = "GROVE_RELAUNCHED";

/** Runs `script args` in a new node with `flags` added, and never returns: ends as that node ends. */
export function relaunch(flags: readonly string[], script: string, args: readonly string[]): Promise<never> {
  return new Promise<never>(() => {
    const child = spawn(process.execPath, [...process.execArgv, ...flags, script, ...args], {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
      env: { ...process.env, [RELAUNCHED]: "1" },
    });
    const fromTerminal = isatty(0);
    const forward = (signal: NodeJS.Signals) => {
      if (!(fromTerminal && TERMINAL_SIGNALS.has(signal))) child.kill(signal);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    child.once("error", (error) => {
      process.stderr.write(`grove: could not start ${process.execPath}: ${error.message}\n`);
      process.exit(1);
    });
    child.once("exit", (code, signal) => {
      for (const each of FORWARDED_SIGNALS) process.off(each, forward);
      if (signal) {
        process.kill(process.pid, signal); // The same end, for the shell and for scripts.
        process.exit(128 + (constants.signals[signal] ?? 0));
      }
      process.exit(code ?? 1);
    });
  });
}

/** In a relaunched process: stop when the launcher is gone. Call once, early. */
export function watchLauncher(): void {
  if (process.env[RELAUNCHED] !== "1") return;
  delete process.env[RELAUNCHED]; // Not for the agents and tools this process starts.
  const channel = process.channel;
  if (!channel) return;
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
  channel.unref(); // The channel is only watched: it must not keep this process alive.
}
