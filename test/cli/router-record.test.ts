/** `grove router --record DIR` as a real process: a cassette per process, replayable by a config. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { completion, startFakeChatUpstream } from "../support/fake-chat-upstream.js";
import { cleanEnv, killAllChildren, startGroveRouter } from "./spawn-grove.js";

const tmp = mkdtempSync(join(tmpdir(), "grove-cli-record-"));
afterEach(() => killAllChildren());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const env = () => cleanEnv({ GROVE_HOME: join(tmp, "home") });
const ask = { model: "m", max_tokens: 50, messages: [{ role: "user" as const, content: "hi" }] };
const textOf = (message: Anthropic.Message) =>
  message.content.map((block) => (block.type === "text" ? block.text : "")).join("");

describe("grove router --record", () => {
  it("writes a cassette in a new directory, prints its path, and a replay config serves it", async () => {
    const upstream = await startFakeChatUpstream({
      replies: [{ type: "json", body: completion("recorded answer") }],
    });
    try {
      const dir = join(tmp, "new", "cassettes");
      const recording = await startGroveRouter(
        ["--upstream", upstream.baseUrl, "--upstream-key", "sk-SECRET-cli", "--port", "0", "--record", dir],
        { env: env() },
      );
      const line = await recording.waitForStderr(/^grove router recording to /);
      const cassette = line.replace("grove router recording to ", "");
      expect(dirname(cassette)).toBe(dir);
      expect(basename(cassette)).toMatch(new RegExp(`-${recording.servingPid}\\.jsonl$`));
      const sdk = new Anthropic({ baseURL: recording.url, apiKey: "k", maxRetries: 0 });
      expect(textOf(await sdk.messages.create(ask))).toBe("recorded answer");
      await expect.poll(() => readFileSync(cassette, "utf8")).toContain("recorded answer");
      expect(readFileSync(cassette, "utf8")).not.toContain("SECRET");
      await recording.stop();

      const config = join(dir, "replay.json");
      writeFileSync(
        config,
        JSON.stringify({
          providers: { r: { type: "replay", cassette: basename(cassette) } },
          routes: { default: "r" },
        }),
      );
      const replaying = await startGroveRouter(["--config", config, "--port", "0"], { env: env() });
      const replayed = new Anthropic({ baseURL: replaying.url, apiKey: "k", maxRetries: 0 });
      expect(textOf(await replayed.messages.create(ask))).toBe("recorded answer");
    } finally {
      await upstream.close();
    }
  });
});
