import { describe, expect, it } from "vitest";
import { compatProfileNames, compatProfiles, detectCompatProfile, resolveCompat } from "./compat-profiles.js";
import { defaultCompat } from "./compat-record.js";

describe("detectCompatProfile", () => {
  it("recognises hosted APIs by host", () => {
    expect(detectCompatProfile("https://openrouter.ai/api/v1")).toBe("openrouter");
    expect(detectCompatProfile("https://api.openai.com/v1")).toBe("openai");
    expect(detectCompatProfile("https://api.deepseek.com/v1")).toBe("deepseek");
    expect(detectCompatProfile("https://generativelanguage.googleapis.com/v1beta/openai")).toBe("gemini");
    expect(detectCompatProfile("HTTPS://OpenRouter.AI/api/v1")).toBe("openrouter");
  });

  it("recognises local servers by their default ports", () => {
    expect(detectCompatProfile("http://localhost:11434/v1")).toBe("ollama");
    expect(detectCompatProfile("http://127.0.0.1:1234/v1")).toBe("lmstudio");
    expect(detectCompatProfile("http://127.0.0.1:8080/v1")).toBe("llamacpp");
    expect(detectCompatProfile("http://gpu-box:8000/v1")).toBe("vllm");
  });

  it("falls back to generic", () => {
    expect(detectCompatProfile("https://api.together.xyz/v1")).toBe("generic");
    expect(detectCompatProfile("http://127.0.0.1:9999/v1")).toBe("generic");
  });
});

describe("resolveCompat", () => {
  it("gives the defaults for generic", () => {
    expect(resolveCompat("generic", "anything")).toEqual(defaultCompat);
  });

  it("lists every profile", () => {
    expect(compatProfileNames.sort()).toEqual(Object.keys(compatProfiles).sort());
    for (const name of compatProfileNames) {
      const record = resolveCompat(name, "model");
      for (const key of Object.keys(defaultCompat)) expect(record, `${name}.${key}`).toHaveProperty(key);
    }
  });

  it("openai: reasoning models use max_completion_tokens and no sampling params", () => {
    for (const model of ["o1", "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5.1-codex"]) {
      const record = resolveCompat("openai", model);
      expect(record.maxTokensField, model).toBe("max_completion_tokens");
      expect(record.samplingParams, model).toBe(false);
      expect(record.reasoning, model).toBe("reasoning_effort");
    }
  });

  it("openai: gpt-4 models keep sampling params and have no reasoning control", () => {
    for (const model of ["gpt-4o", "gpt-4.1-mini", "gpt-3.5-turbo"]) {
      const record = resolveCompat("openai", model);
      expect(record.samplingParams, model).toBe(true);
      expect(record.reasoning, model).toBe("none");
      expect(record.responseFormat, model).toBe("json_schema");
    }
  });

  it("openrouter: reasoning models by slug, gemini dialect for gemini models", () => {
    const gpt5 = resolveCompat("openrouter", "openai/gpt-5");
    expect(gpt5.maxTokensField).toBe("max_completion_tokens");
    expect(gpt5.samplingParams).toBe(false);
    expect(resolveCompat("openrouter", "openai/gpt-4o").maxTokensField).toBe("max_tokens");
    expect(resolveCompat("openrouter", "google/gemini-2.5-pro").schemaDialect).toBe("gemini");
    expect(resolveCompat("openrouter", "qwen/qwen3-coder").schemaDialect).toBe("full");
    const record = resolveCompat("openrouter", "x/y");
    expect(record).toMatchObject({ reasoning: "openrouter", topK: true, maxUserLength: 128 });
    expect(record.headers).toMatchObject({ "X-Title": "grove" });
  });

  it("does not treat gpt-4o or similar names as OpenAI reasoning models", () => {
    for (const model of [
      "gpt-4o",
      "openai/gpt-4o-mini",
      "qwen/qwq-32b",
      "mistral/ministral-8b",
      "ollama-o1ish",
    ]) {
      expect(resolveCompat("openrouter", model).maxTokensField, model).toBe("max_tokens");
    }
  });

  it("deepseek: thinking toggle, echoed reasoning, 8192 output cap, no user", () => {
    expect(resolveCompat("deepseek", "deepseek-chat")).toMatchObject({
      reasoning: "thinking_toggle",
      echoReasoningContent: true,
      parallelToolCalls: false,
      responseFormat: "json_object",
      maxUserLength: 0,
      maxOutputTokens: 8192,
    });
    expect(resolveCompat("deepseek", "deepseek-reasoner")).toMatchObject({
      maxOutputTokens: 65536,
      reasoning: "none",
      samplingParams: false,
    });
  });

  it("local servers merge mid-conversation system messages into user turns", () => {
    for (const name of ["ollama", "vllm", "llamacpp", "lmstudio"] as const) {
      expect(resolveCompat(name, "m").midConversationSystem, name).toBe("user");
      expect(resolveCompat(name, "m").maxUserLength, name).toBe(0);
    }
    for (const name of ["generic", "openai", "openrouter", "deepseek", "gemini"] as const) {
      expect(resolveCompat(name, "m").midConversationSystem, name).toBe("system");
    }
  });

  it("gemini: gemini dialect", () => {
    expect(resolveCompat("gemini", "gemini-2.5-flash")).toMatchObject({
      schemaDialect: "gemini",
      topK: false,
    });
    expect(resolveCompat("ollama", "gemini-3").schemaDialect).toBe("gemini");
  });

  it("applies overrides last and merges headers", () => {
    const record = resolveCompat("openrouter", "google/gemini-2.5-pro", {
      schemaDialect: "strict",
      maxOutputTokens: 1000,
      headers: { "X-Title": "mine", "X-Extra": "1" },
    });
    expect(record.schemaDialect).toBe("strict");
    expect(record.maxOutputTokens).toBe(1000);
    expect(record.headers).toEqual({
      "HTTP-Referer": "https://github.com/grove-dev/grove",
      "X-Title": "mine",
      "X-Extra": "1",
    });
  });

  it("never mutates the defaults or the profiles", () => {
    const before = JSON.stringify({ defaultCompat, profiles: compatProfiles.openrouter.compat });
    const record = resolveCompat("openrouter", "x", { headers: { A: "1" } });
    record.headers.B = "2";
    record.maxUserLength = 1;
    expect(JSON.stringify({ defaultCompat, profiles: compatProfiles.openrouter.compat })).toBe(before);
    expect(resolveCompat("generic", "x").headers).toEqual({});
  });
});
