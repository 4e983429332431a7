import { defineCommand } from "citty";
import { groveHome } from "../../node/paths.js";
import { DaemonStartError, dashboardUrl, startDaemon } from "../../server/daemon.js";
import { connectDaemon, daemonPort, findDaemon } from "../daemon-client.js";
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
      description: "Port on 127.0.0.1 (default 4777, or GROVE_DAEMON_PORT; 0 picks one)",
    },
  },
  async run({ args }) {
    const home = groveHome();
    if (args.port !== undefined) process.env.GROVE_DAEMON_PORT = args.port;
    if (!args.foreground) {
      const already = await findDaemon(home);
      const client = already ?? (await connectDaemon(home));
      process.stdout.write(
        `grove daemon ${already ? "already running" : "started"} on ${client.info.url} (pid ${client.info.pid}, GROVE_HOME ${home})\n`,
      );
      process.stdout.write(`grove dashboard: ${dashboardUrl(client.info)}\n`);
      return;
    }
    let daemon: Awaited<ReturnType<typeof startDaemon>>;
    try {
      daemon = await startDaemon({ home, port: daemonPort(), onStopped: () => process.exit(0) });
    } catch (error) {
      if (error instanceof DaemonStartError) throw new CliError(error.message);
      throw error;
    }
    process.stdout.write(
      `grove daemon listening on ${daemon.info.url} (pid ${process.pid}, GROVE_HOME ${home})\n`,
    );
    process.stdout.write(`grove dashboard: ${dashboardUrl(daemon.info)}\n`);
    const stop = () => void daemon.stop().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  },
});
