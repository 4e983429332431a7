/** A daemon stops promptly even while clients (a dashboard, grove logs -f) follow its change stream. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startDaemon } from "../../src/server/daemon.js";

it("ends open change streams when it shuts down, instead of waiting for them", async () => {
  const home = mkdtempSync(join(tmpdir(), "grove-shutdown-"));
  const daemon = await startDaemon({ home, port: 0, webRoot: join(home, "no-web") });
  try {
    const response = await fetch(`${daemon.info.url}/api/stream`, {
      headers: { authorization: `Bearer ${daemon.info.token}` },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();
    const started = Date.now();
    await daemon.stop();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await ended).toBe(true);
  } finally {
    await daemon.stop();
    rmSync(home, { recursive: true, force: true });
  }
});
