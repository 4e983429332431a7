import { describe, expect, it } from "vitest";
import { costUsd, priceOf } from "./pricing.js";
import { resolveRouterConfig } from "./resolve-config.js";

const config = resolveRouterConfig(
  {
    providers: {
      or: {
        type: "openai-chat",
        baseUrl: "https://openrouter.ai/api/v1",
        pricing: { "qwen/qwen3-coder": { input: 0.3, output: 1.2 } },
      },
      local: {
        type: "openai-chat",
        baseUrl: "http://127.0.0.1:11434/v1",
        pricing: { "*": { input: 0, output: 0 } },
      },
      bare: { type: "openai-chat", baseUrl: "http://127.0.0.1:8000/v1" },
    },
    routes: { default: "or/qwen/qwen3-coder" },
  },
  {},
);

describe("request prices", () => {
  it("takes the model's own price, else the provider's `*`, else none", () => {
    expect(priceOf(config, "or", "qwen/qwen3-coder")).toEqual({ input: 0.3, output: 1.2 });
    expect(priceOf(config, "or", "qwen/other")).toBeUndefined();
    expect(priceOf(config, "local", "anything")).toEqual({ input: 0, output: 0 });
    expect(priceOf(config, "bare", "x")).toBeUndefined();
    expect(priceOf(config, "missing", "x")).toBeUndefined();
  });

  it("costs tokens at dollars per million, and nothing it cannot know", () => {
    const price = { input: 0.3, output: 1.2 };
    expect(costUsd(price, 1_000_000, 500_000)).toBeCloseTo(0.9, 10);
    expect(costUsd(price, 2000, undefined)).toBeUndefined();
    expect(costUsd(undefined, 2000, 10)).toBeUndefined();
    expect(costUsd({ input: 0, output: 0 }, 2000, 10)).toBe(0);
  });

  it("rejects a negative or unknown price field", () => {
    const bad = (pricing: unknown) => () =>
      resolveRouterConfig(
        {
          providers: { p: { type: "openai-chat", baseUrl: "http://x/v1", pricing } },
          routes: { default: "p" },
        },
        {},
      );
    expect(bad({ m: { input: -1, output: 1 } })).toThrow(/pricing/);
    expect(bad({ m: { input: 1, output: 1, cached: 1 } })).toThrow(/pricing/);
  });
});
