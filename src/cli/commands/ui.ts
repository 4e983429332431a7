/** `grove ui`: opens the dashboard, signed in, in the browser (starting the daemon when needed). */
import { spawn } from "node:child_process";
import { defineCommand } from "citty";
import { dashboardAuthUrl } from "../../server/daemon.js";
import { connectDaemon } from "../daemon-client.js";

export default defineCommand({
  meta: { name: "ui", description: "Open the dashboard in the browser (starts the daemon when needed)" },
  args: {
    open: { type: "boolean", default: true, description: "Open a browser (--no-open only prints the URL)" },
  },
  async run({ args }) {
    const client = await connectDaemon();
    const url = dashboardAuthUrl(client.info);
    process.stdout.write(`grove dashboard: ${url}\n`);
    // Bound beyond loopback (grove serve --host): the same, signed in, from other machines.
    for (const remote of client.info.remoteUrls ?? [])
      process.stdout.write(`from other machines: ${dashboardAuthUrl(client.info, remote)}\n`);
    if (args.open) openBrowser(url);
  },
});

/** Best effort: a missing opener (no desktop, no xdg-open) is fine, the URL is printed above. */
function openBrowser(url: string): void {
  const [command, ...args] =
    process.platform === "darwin"
      ? ["open", url]
      : process.platform === "win32"
        ? ["cmd", "/c", "start", '""', url]
        : ["xdg-open", url];
  try {
    const child = spawn(command!, args, { detached: true, stdio: "ignore" });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // Nothing to do: the URL is on the terminal.
  }
}
