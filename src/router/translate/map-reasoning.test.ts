import { describe, expect, it } from "vitest";
import { type MessagesRequest, messagesRequestSchema } from "../../protocol/anthropic.js";
import { type CompatRecord, defaultCompat, type ReasoningRequestStyle } from "../compat/compat-record.js";
import { effortForBudget, mapReasoning, requestedEffort } from "./map-reasoning.js";

const request = (extra: Record<string, unknown> = {}): MessagesRequest =>
  messagesRequestSchema.parse({ model: "m", max_tokens: 100, messages: [], ...extra });

const style = (reasoning: ReasoningRequestStyle): CompatRecord => ({ ...defaultCompat, reasoning });

const enabled = (budget_tokens?: number) => request({ thinking: { type: "enabled", budget_tokens } });
const adaptive = (effort?: string) =>
  request({ thinking: { type: "adaptive" }, ...(effort === undefined ? {} : { output_config: { effort } }) });
const disabled = request({ thinking: { type: "disabled" } });

describe("effortForBudget", () => {
  it("maps budgets at and around the 1024 / 8192 boundaries", () => {
    expect(effortForBudget(0)).toBe("low");
    expect(effortForBudget(1024)).toBe("low");
    expect(effortForBudget(1025)).toBe("medium");
    expect(effortForBudget(8192)).toBe("medium");
    expect(effortForBudget(8193)).toBe("high");
    expect(effortForBudget(31999)).toBe("high");
  });
});

describe("requestedEffort", () => {
  it("is undefined without thinking", () => {
    expect(requestedEffort(request())).toBeUndefined();
    // output_config.effort alone does not ask for reasoning.
    expect(requestedEffort(request({ output_config: { effort: "high" } }))).toBeUndefined();
  });

  it("maps enabled budgets 1024 / 8192 / 31999 to low / medium / high", () => {
    expect(requestedEffort(enabled(1024))).toBe("low");
    expect(requestedEffort(enabled(8192))).toBe("medium");
    expect(requestedEffort(enabled(31999))).toBe("high");
  });

  it("treats a missing budget as medium", () => {
    expect(requestedEffort(enabled())).toBe("medium");
  });

  it("maps adaptive via output_config.effort", () => {
    expect(requestedEffort(adaptive("low"))).toBe("low");
    expect(requestedEffort(adaptive("minimal"))).toBe("low");
    expect(requestedEffort(adaptive("medium"))).toBe("medium");
    expect(requestedEffort(adaptive("high"))).toBe("high");
    expect(requestedEffort(adaptive("xhigh"))).toBe("high");
    expect(requestedEffort(adaptive("max"))).toBe("high");
    expect(requestedEffort(adaptive())).toBe("medium");
  });

  it('is "off" when disabled', () => {
    expect(requestedEffort(disabled)).toBe("off");
  });
});

describe("mapReasoning", () => {
  it("sends nothing when the client said nothing, whatever the style", () => {
    for (const s of ["none", "reasoning_effort", "openrouter", "thinking_toggle"] as const) {
      expect(mapReasoning(request(), style(s))).toEqual({});
    }
  });

  it("style none: never sends anything", () => {
    expect(mapReasoning(enabled(31999), style("none"))).toEqual({});
    expect(mapReasoning(adaptive("high"), style("none"))).toEqual({});
    expect(mapReasoning(disabled, style("none"))).toEqual({});
  });

  it("style reasoning_effort: effort, nothing when disabled", () => {
    expect(mapReasoning(enabled(1024), style("reasoning_effort"))).toEqual({ reasoning_effort: "low" });
    expect(mapReasoning(enabled(8192), style("reasoning_effort"))).toEqual({ reasoning_effort: "medium" });
    expect(mapReasoning(enabled(31999), style("reasoning_effort"))).toEqual({ reasoning_effort: "high" });
    expect(mapReasoning(adaptive("low"), style("reasoning_effort"))).toEqual({ reasoning_effort: "low" });
    expect(mapReasoning(disabled, style("reasoning_effort"))).toEqual({});
  });

  it("style openrouter: reasoning.effort without an enabled flag, nothing when disabled", () => {
    expect(mapReasoning(enabled(31999), style("openrouter"))).toEqual({ reasoning: { effort: "high" } });
    expect(mapReasoning(adaptive("medium"), style("openrouter"))).toEqual({
      reasoning: { effort: "medium" },
    });
    // Never `enabled:false` next to an effort (CCR #1378).
    expect(mapReasoning(disabled, style("openrouter"))).toEqual({});
  });

  it("style thinking_toggle: enabled or disabled", () => {
    expect(mapReasoning(enabled(1024), style("thinking_toggle"))).toEqual({ thinking: { type: "enabled" } });
    expect(mapReasoning(adaptive("high"), style("thinking_toggle"))).toEqual({
      thinking: { type: "enabled" },
    });
    expect(mapReasoning(disabled, style("thinking_toggle"))).toEqual({ thinking: { type: "disabled" } });
  });

  it("throws on an unknown style", () => {
    expect(() => mapReasoning(enabled(1024), style("bogus" as ReasoningRequestStyle))).toThrow(/bogus/);
  });
});
