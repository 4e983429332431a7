import { defineCommand } from "citty";
import { groveHome } from "../../node/paths.js";
import {
  type DaemonInfo,
  DaemonStartError,
  dashboardAuthUrl,
  dashboardUrl,
  startDaemon,
} from "../../server/daemon.js";
import { connectDaemon, daemonHost, daemonPort, findDaemon } from "../daemon-client.js";
import { CliError } from "../errors.js";

export default defineCommand({
  meta: {
    name: "serve",
    description: "Run the grove daemon, which owns tasks and agents (started automatically when needed)",
  },
  args: {
    foreground: { type: "boolean", description: "Run in this terminal instead of the background" },
    port: {
      type: "string",
      description: "Port (default 4777, or GROVE_DAEMON_PORT; 0 picks one)",
    },
    host: {
      type: "string",
      description:
        "Address to listen on (default 127.0.0.1, or GROVE_DAEMON_HOST). Beyond loopback every request needs the daemon token",
    },
  },
  async run({ args }) {
    const home = groveHome();
    if (args.port !== undefined) process.env.GROVE_DAEMON_PORT = args.port;
    if (args.host !== undefined) process.env.GROVE_DAEMON_HOST = args.host;
    if (!args.foreground) {
      const already = await findDaemon(home);
      const client = already ?? (await connectDaemon(home));
      process.stdout.write(
        `grove daemon ${already ? "already running" : "started"} on ${client.info.url} (pid ${client.info.pid}, GROVE_HOME ${home})\n`,
      );
      const running = client.info.host ?? "127.0.0.1";
      if (already && args.host !== undefined && args.host !== running)
        process.stdout.write(
          `it listens on ${running}, not ${args.host}: run grove daemon stop, then grove serve --host ${args.host}\n`,
        );
      printDashboard(client.info);
      return;
    }
    let daemon: Awaited<ReturnType<typeof startDaemon>>;
    try {
      daemon = await startDaemon({
        home,
        port: daemonPort(),
        host: daemonHost(),
        onStopped: () => process.exit(0),
      });
    } catch (error) {
      if (error instanceof DaemonStartError) throw new CliError(error.message);
      throw error;
    }
    const stop = () => void daemon.stop().then(() => process.exit(0));
    // Before the listening line: whoever waits for it may signal at once.
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    process.stdout.write(
      `grove daemon listening on ${daemon.info.url} (pid ${process.pid}, GROVE_HOME ${home})\n`,
    );
    printDashboard(daemon.info);
  },
});

/**
 * The dashboard's address. Bound beyond loopback, also the signed-in URLs for other machines,
 * which hold the token: printed only to a terminal, never into a log file (an auto-started
 * daemon's output goes to logs/daemon.log).
 */
function printDashboard(info: DaemonInfo): void {
  process.stdout.write(`grove dashboard: ${dashboardUrl(info)}\n`);
  const remote = info.remoteUrls ?? [];
  if (remote.length === 0) return;
  if (!process.stdout.isTTY) {
    process.stdout.write(
      "listening beyond loopback: every request needs the daemon token (grove ui --no-open prints signed-in URLs)\n",
    );
    return;
  }
  process.stdout.write("from other machines (these URLs hold the token: share them like a password):\n");
  for (const url of remote) process.stdout.write(`  ${dashboardAuthUrl(info, url)}\n`);
}
