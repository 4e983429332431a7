import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../protocol/openai-chat.js";
import { createScriptUpstream } from "./script-upstream.js";

const request = (user: string): ChatRequest => ({
  model: "m",
  stream: false,
  messages: [
    { role: "system", content: "Working directory: /tmp/work" },
    { role: "user", content: user },
  ],
});

async function firstToolArguments(upstream: ReturnType<typeof createScriptUpstream>, user: string) {
  const body = (await (await upstream(request(user))).json()) as {
    choices: { message: { content: string | null; tool_calls?: { function: { arguments: string } }[] } }[];
  };
  const message = body.choices[0]!.message;
  return { content: message.content, args: JSON.parse(message.tool_calls?.[0]?.function.arguments ?? "{}") };
}

describe("script templates", () => {
  const upstream = createScriptUpstream("t", {
    replies: [
      {
        repeat: true,
        text: "spec at {{user:(\\S+-design\\.md)}} in {{cwd}}",
        toolCalls: [
          {
            name: "write",
            arguments: { path: "{{user:(\\S+-design\\.md)}}", nested: ["{{model}}", "{{user:nope(\\d+)}}"] },
          },
        ],
      },
    ],
  });

  it("echoes a group of the newest user message, the cwd and the model, in text and in arguments", async () => {
    const { content, args } = await firstToolArguments(
      upstream,
      "Write it to docs/plans/2026-11-28-x-design.md now",
    );
    expect(content).toBe("spec at docs/plans/2026-11-28-x-design.md in /tmp/work");
    expect(args).toEqual({ path: "docs/plans/2026-11-28-x-design.md", nested: ["m", "{{user:nope(\\d+)}}"] });
  });

  it("leaves a pattern that does not match, or is not a valid expression, as it is", async () => {
    const broken = createScriptUpstream("b", {
      replies: [{ repeat: true, text: "{{user:(unclosed}} {{user:(\\S+-design\\.md)}}" }],
    });
    const { content } = await firstToolArguments(broken, "no path here");
    expect(content).toBe("{{user:(unclosed}} {{user:(\\S+-design\\.md)}}");
  });
});
