import { defineCommand } from "citty";
import { groveHome } from "../../node/paths.js";
import { readDaemonInfo } from "../../server/daemon.js";
import { findDaemon } from "../daemon-client.js";

const status = defineCommand({
  meta: { name: "status", description: "Is the daemon running? Its address and pid" },
  async run() {
    const home = groveHome();
    const client = await findDaemon(home);
    if (!client) {
      const stale = readDaemonInfo(home);
      process.stdout.write(
        `grove daemon is not running (GROVE_HOME ${home})${stale ? `; pid ${stale.pid} left a stale daemon.json` : ""}\n`,
      );
      process.exitCode = 1;
      return;
    }
    process.stdout.write(
      `grove daemon running on ${client.info.url}, pid ${client.info.pid}, since ${client.info.startedAt} (GROVE_HOME ${home})\n`,
    );
  },
});

const stop = defineCommand({
  meta: {
    name: "stop",
    description: "Stop the daemon; running agents keep running and are re-attached on the next start",
  },
  async run() {
    const client = await findDaemon(groveHome());
    if (!client) {
      process.stdout.write("grove daemon is not running\n");
      return;
    }
    await client.request("POST", "/api/shutdown");
    for (let attempt = 0; attempt < 100 && (await findDaemon(groveHome())); attempt++)
      await new Promise((r) => setTimeout(r, 50));
    process.stdout.write(`grove daemon (pid ${client.info.pid}) stopped\n`);
  },
});

export default defineCommand({
  meta: { name: "daemon", description: "Manage the grove daemon" },
  subCommands: { status, stop },
});
