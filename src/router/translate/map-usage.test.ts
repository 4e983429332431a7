import { describe, expect, it } from "vitest";
import { mapUsage } from "./map-usage.js";

describe("mapUsage", () => {
  it("is all zeros without usage", () => {
    const zero = {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    };
    expect(mapUsage(undefined)).toEqual(zero);
    expect(mapUsage(null)).toEqual(zero);
    expect(mapUsage({})).toEqual(zero);
  });

  it("maps prompt and completion tokens", () => {
    expect(mapUsage({ prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 })).toEqual({
      input_tokens: 120,
      output_tokens: 9,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it("subtracts OpenAI cached tokens from input_tokens", () => {
    expect(
      mapUsage({ prompt_tokens: 1000, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 800 } }),
    ).toEqual({
      input_tokens: 200,
      output_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 800,
    });
  });

  it("reads DeepSeek's prompt_cache_hit_tokens", () => {
    expect(mapUsage({ prompt_tokens: 1000, completion_tokens: 5, prompt_cache_hit_tokens: 640 })).toEqual({
      input_tokens: 360,
      output_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 640,
    });
  });

  it("uses DeepSeek's field when prompt_tokens_details is null", () => {
    expect(
      mapUsage({ prompt_tokens: 100, prompt_cache_hit_tokens: 40, prompt_tokens_details: null })
        .cache_read_input_tokens,
    ).toBe(40);
  });

  it("subtracts cache writes too and reports them", () => {
    expect(
      mapUsage({
        prompt_tokens: 1000,
        completion_tokens: 1,
        prompt_tokens_details: { cached_tokens: 300, cache_write_tokens: 200 },
      }),
    ).toEqual({
      input_tokens: 500,
      output_tokens: 1,
      cache_creation_input_tokens: 200,
      cache_read_input_tokens: 300,
    });
  });

  it("never reports negative input tokens", () => {
    expect(mapUsage({ prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 50 } }).input_tokens).toBe(
      0,
    );
  });
});
