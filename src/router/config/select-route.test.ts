import { describe, expect, it, vi } from "vitest";
import type { MessagesRequest } from "../../protocol/anthropic.js";
import type { RouterConfigInput } from "./config-schema.js";
import { resolveRouterConfig } from "./resolve-config.js";
import { expandRoute, type RouteDecision, selectRoute } from "./select-route.js";

type Routes = RouterConfigInput["routes"];
type Messages = MessagesRequest["messages"];

const config = (routes: Partial<Routes> = {}) =>
  resolveRouterConfig(
    {
      providers: {
        local: { type: "openai-chat", baseUrl: "http://127.0.0.1:8000/v1" },
        or: { type: "openai-chat", baseUrl: "https://openrouter.ai/api/v1" },
        ds: { type: "openai-chat", baseUrl: "https://api.deepseek.com" },
        claude: { type: "anthropic", baseUrl: "https://api.anthropic.com" },
      },
      routes: { default: "local/qwen3", ...routes },
    },
    {},
  );

const FULL: Partial<Routes> = {
  longContext: "or/google/gemini-2.5-pro",
  longContextThreshold: 1000,
  image: "or/qwen/qwen2.5-vl",
  background: "local/qwen3-small",
  think: "ds/deepseek-reasoner",
  models: { "claude-opus-4-8": "or/anthropic/claude-opus", sonnet: "ds/deepseek-chat", opus: "local/big" },
};

const PNG = {
  type: "image",
  source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
} as const;

interface Ask {
  model?: string;
  thinking?: MessagesRequest["thinking"];
  messages?: Messages;
  tokens?: number;
}

const select = (routes: Partial<Routes>, ask: Ask = {}): RouteDecision =>
  selectRoute(
    config(routes),
    {
      model: ask.model ?? "claude-sonnet-4-6",
      thinking: ask.thinking,
      messages: ask.messages ?? [{ role: "user", content: "hi" }],
    },
    () => ask.tokens ?? 10,
  );

const targetsOf = (decision: RouteDecision) => decision.targets.map((t) => `${t.providerName}|${t.model}`);

describe("selectRoute", () => {
  it("uses the default route", () => {
    const decision = select({});
    expect(decision.reason).toBe("default");
    expect(targetsOf(decision)).toEqual(["local|qwen3"]);
    expect(decision.targets[0]!.provider).toMatchObject({
      type: "openai-chat",
      baseUrl: "http://127.0.0.1:8000/v1",
    });
  });

  it("lets an explicit provider/model bypass every route", () => {
    const decision = select(FULL, {
      model: "or/qwen/qwen3-coder",
      tokens: 1_000_000,
      thinking: { type: "enabled", budget_tokens: 2000 },
      messages: [{ role: "user", content: [PNG] }],
    });
    expect(decision.reason).toBe("explicit");
    expect(targetsOf(decision)).toEqual(["or|qwen/qwen3-coder"]);
  });

  it("does not treat a slash model with an unknown provider as explicit", () => {
    const decision = select({}, { model: "anthropic/claude-sonnet-4-6" });
    expect(decision.reason).toBe("default");
    expect(targetsOf(decision)).toEqual(["local|qwen3"]);
  });

  it("routes long contexts above the threshold, not at it", () => {
    expect(select(FULL, { tokens: 1001 }).reason).toBe("longContext");
    expect(targetsOf(select(FULL, { tokens: 1001 }))).toEqual(["or|google/gemini-2.5-pro"]);
    expect(select(FULL, { tokens: 1000 }).reason).not.toBe("longContext");
  });

  it("uses the default threshold of 60000", () => {
    expect(select({ longContext: "or/big" }, { tokens: 60_000 }).reason).toBe("default");
    expect(select({ longContext: "or/big" }, { tokens: 60_001 }).reason).toBe("longContext");
  });

  it("only estimates tokens when a longContext route exists", () => {
    const estimate = vi.fn(() => 5);
    selectRoute(config({}), { model: "claude-sonnet-4-6", messages: [] }, estimate);
    expect(estimate).not.toHaveBeenCalled();
    selectRoute(config({ longContext: "or/big" }), { model: "claude-sonnet-4-6", messages: [] }, estimate);
    expect(estimate).toHaveBeenCalledTimes(1);
  });

  it("routes an image in the latest user turn", () => {
    const decision = select(FULL, {
      messages: [{ role: "user", content: [{ type: "text", text: "see" }, PNG] }],
    });
    expect(decision.reason).toBe("image");
    expect(targetsOf(decision)).toEqual(["or|qwen/qwen2.5-vl"]);
  });

  it("routes an image inside a tool_result in the latest user turn", () => {
    const messages: Messages = [
      { role: "user", content: "take a screenshot" },
      { role: "assistant", content: [{ type: "tool_use", id: "t", name: "Screenshot", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: [PNG] }] },
      { role: "system", content: "a trailing system message does not hide the user turn" },
    ];
    expect(select(FULL, { messages }).reason).toBe("image");
  });

  it("ignores images in earlier user turns", () => {
    const messages: Messages = [
      { role: "user", content: [PNG] },
      { role: "assistant", content: "nice cat" },
      { role: "user", content: "thanks" },
    ];
    expect(select(FULL, { messages }).reason).toBe("model");
  });

  it("ignores images when no image route is configured", () => {
    expect(select({}, { messages: [{ role: "user", content: [PNG] }] }).reason).toBe("default");
  });

  it("sends haiku to background", () => {
    const decision = select(FULL, {
      model: "claude-haiku-4-5-20251001",
      thinking: { type: "enabled", budget_tokens: 31999 },
    });
    expect(decision.reason).toBe("background");
    expect(targetsOf(decision)).toEqual(["local|qwen3-small"]);
    expect(select(FULL, { model: "Claude-3-5-HAIKU-latest" }).reason).toBe("background");
  });

  it("sends thinking enabled to think, but not adaptive or disabled", () => {
    const decision = select(FULL, { thinking: { type: "enabled", budget_tokens: 4000 } });
    expect(decision.reason).toBe("think");
    expect(targetsOf(decision)).toEqual(["ds|deepseek-reasoner"]);
    expect(select(FULL, { thinking: { type: "adaptive" } }).reason).toBe("model");
    expect(select(FULL, { thinking: { type: "disabled" } }).reason).toBe("model");
  });

  it("prefers an exact model match over the family", () => {
    const decision = select(FULL, { model: "claude-opus-4-8" });
    expect(decision.reason).toBe("model");
    expect(targetsOf(decision)).toEqual(["or|anthropic/claude-opus"]);
  });

  it("maps a model family", () => {
    expect(targetsOf(select(FULL, { model: "claude-opus-4-1" }))).toEqual(["local|big"]);
    expect(targetsOf(select(FULL, { model: "claude-sonnet-4-6" }))).toEqual(["ds|deepseek-chat"]);
  });

  it("falls back to default for unknown models and unmapped families", () => {
    expect(select(FULL, { model: "my-proxy-model" }).reason).toBe("default");
    expect(select({ models: { opus: "local/big" } }, { model: "claude-sonnet-4-6" }).reason).toBe("default");
  });

  it("expands fallback arrays in order", () => {
    const decision = select(
      { default: ["ds/deepseek-chat", "or/qwen/qwen3-coder", "local"] },
      { model: "my-model" },
    );
    expect(targetsOf(decision)).toEqual(["ds|deepseek-chat", "or|qwen/qwen3-coder", "local|my-model"]);
  });

  it("passes the client's model through for a bare provider", () => {
    expect(targetsOf(select({ default: "claude" }, { model: "claude-sonnet-4-6" }))).toEqual([
      "claude|claude-sonnet-4-6",
    ]);
    expect(targetsOf(select({ background: "claude" }, { model: "claude-haiku-4-5" }))).toEqual([
      "claude|claude-haiku-4-5",
    ]);
  });

  it("keeps precedence: longContext > image > background > think > model > default", () => {
    const image: Messages = [{ role: "user", content: [PNG] }];
    const thinking = { type: "enabled", budget_tokens: 2000 } as const;
    expect(select(FULL, { tokens: 5000, messages: image, model: "claude-haiku-4-5", thinking }).reason).toBe(
      "longContext",
    );
    expect(select(FULL, { messages: image, model: "claude-haiku-4-5", thinking }).reason).toBe("image");
    expect(select(FULL, { model: "claude-haiku-4-5", thinking }).reason).toBe("background");
    expect(select(FULL, { model: "claude-opus-4-8", thinking }).reason).toBe("think");
  });
});

describe("expandRoute", () => {
  it("splits provider and model at the first slash only", () => {
    const targets = expandRoute(config(), ["or/meta-llama/llama-4/maverick", "local"], "client-model");
    expect(targets.map((t) => [t.providerName, t.model])).toEqual([
      ["or", "meta-llama/llama-4/maverick"],
      ["local", "client-model"],
    ]);
  });
});
