import { describe, expect, it } from "vitest";
import { mapStopReason } from "./map-stop-reason.js";

describe("mapStopReason", () => {
  it("maps the standard finish reasons", () => {
    expect(mapStopReason("stop", false)).toEqual({ stopReason: "end_turn", stopSequence: null });
    expect(mapStopReason("length", false)).toEqual({ stopReason: "max_tokens", stopSequence: null });
    expect(mapStopReason("tool_calls", false)).toEqual({ stopReason: "tool_use", stopSequence: null });
    expect(mapStopReason("function_call", false)).toEqual({ stopReason: "tool_use", stopSequence: null });
    expect(mapStopReason("content_filter", false)).toEqual({ stopReason: "refusal", stopSequence: null });
  });

  it("defaults to end_turn for missing or unknown reasons", () => {
    expect(mapStopReason(undefined, false).stopReason).toBe("end_turn");
    expect(mapStopReason(null, false).stopReason).toBe("end_turn");
    expect(mapStopReason("eos", false).stopReason).toBe("end_turn");
  });

  it('forces tool_use when tool calls came with "stop" or no reason', () => {
    expect(mapStopReason("stop", true).stopReason).toBe("tool_use");
    expect(mapStopReason(undefined, true).stopReason).toBe("tool_use");
    expect(mapStopReason("stop", true, "END").stopReason).toBe("tool_use");
  });

  it("keeps length and content_filter even with tool calls", () => {
    expect(mapStopReason("length", true).stopReason).toBe("max_tokens");
    expect(mapStopReason("content_filter", true).stopReason).toBe("refusal");
  });

  it("maps vLLM's matched stop string to stop_sequence", () => {
    expect(mapStopReason("stop", false, "</answer>")).toEqual({
      stopReason: "stop_sequence",
      stopSequence: "</answer>",
    });
  });

  it("ignores a numeric stop_reason (a stop token id) and null", () => {
    expect(mapStopReason("stop", false, 151645)).toEqual({ stopReason: "end_turn", stopSequence: null });
    expect(mapStopReason("stop", false, null)).toEqual({ stopReason: "end_turn", stopSequence: null });
  });

  it("uses the stop string only with finish_reason stop", () => {
    expect(mapStopReason("length", false, "END")).toEqual({ stopReason: "max_tokens", stopSequence: null });
  });
});
