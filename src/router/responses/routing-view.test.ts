import { describe, expect, it } from "vitest";
import { codexRequest } from "../../../test/router/codex-captures.js";
import { resolveRouterConfig } from "../config/resolve-config.js";
import { selectRoute } from "../config/select-route.js";
import { responsesRequestSchema } from "./request-schema.js";
import { routingView } from "./routing-view.js";

const config = resolveRouterConfig(
  {
    providers: {
      local: { type: "openai-chat", baseUrl: "http://127.0.0.1:1/v1" },
      big: { type: "openai-chat", baseUrl: "http://127.0.0.1:2/v1" },
    },
    routes: {
      default: "local/qwen",
      models: { "gpt-5.5": "big/gpt-oss" },
      think: "big/thinker",
      image: "big/vision",
    },
  },
  {},
);
const route = (body: Record<string, unknown>) =>
  selectRoute(config, routingView(responsesRequestSchema.parse(body)), () => 0);

describe("routing a Responses request", () => {
  it("uses the same routes as /v1/messages: reasoning effort picks the think route", () => {
    const codex = codexRequest("codex-01-request.json");
    expect(routingView(codex).thinking).toEqual({ type: "enabled" });
    expect(route({ ...codex }).reason).toBe("think");
    expect(route({ model: "gpt-5.5", input: "x" })).toMatchObject({
      reason: "model",
      targets: [{ providerName: "big", model: "gpt-oss" }],
    });
    expect(route({ model: "gpt-5.5", input: "x", reasoning: { effort: "none" } }).reason).toBe("model");
    expect(route({ model: "local/llama", input: "x" })).toMatchObject({
      reason: "explicit",
      targets: [{ providerName: "local", model: "llama" }],
    });
    expect(route({ model: "other", input: "x" }).reason).toBe("default");
  });

  it("picks the image route when the newest user turn or tool result has an image", () => {
    const image = { type: "input_image", image_url: "data:image/png;base64,AA" };
    expect(route({ model: "m", input: [{ role: "user", content: [image] }] }).reason).toBe("image");
    expect(
      route({
        model: "m",
        input: [
          { role: "user", content: "look" },
          { type: "function_call", call_id: "c", name: "view_image", arguments: "{}" },
          { type: "function_call_output", call_id: "c", output: [image] },
        ],
      }).reason,
    ).toBe("image");
    expect(
      route({
        model: "m",
        input: [
          { role: "user", content: [image] },
          { type: "message", role: "assistant", content: [{ type: "output_text", text: "seen" }] },
          { role: "user", content: "thanks" },
        ],
      }).reason,
    ).toBe("default");
  });
});
