/**
 * Named compat profiles for the backends grove knows, plus model-name rules that apply on
 * any backend. A provider picks a profile explicitly (`compat` in config) or by its base URL.
 */
import { type CompatRecord, defaultCompat } from "./compat-record.js";

export interface ModelRule {
  /** Matched against the upstream model name, case-insensitively. */
  match: RegExp;
  compat: Partial<CompatRecord>;
}

export interface CompatProfile {
  compat: Partial<CompatRecord>;
  models?: ModelRule[];
}

/** OpenAI reasoning models: no sampling parameters, and the limit goes in max_completion_tokens. */
const openAiReasoningModel: ModelRule = {
  match: /(^|\/)(o\d|gpt-5)/i,
  compat: { maxTokensField: "max_completion_tokens", samplingParams: false },
};

const geminiModel: ModelRule = { match: /gemini/i, compat: { schemaDialect: "gemini" } };

export const compatProfiles = {
  generic: { compat: {} },
  openai: {
    compat: {
      maxTokensField: "max_completion_tokens",
      reasoning: "reasoning_effort",
      responseFormat: "json_schema",
    },
    models: [{ match: /^gpt-4|^gpt-3/i, compat: { reasoning: "none" } }, openAiReasoningModel],
  },
  openrouter: {
    compat: {
      reasoning: "openrouter",
      topK: true,
      maxUserLength: 128,
      headers: { "HTTP-Referer": "https://github.com/grove-dev/grove", "X-Title": "grove" },
    },
    models: [openAiReasoningModel, geminiModel],
  },
  deepseek: {
    compat: {
      reasoning: "thinking_toggle",
      echoReasoningContent: true,
      parallelToolCalls: false,
      responseFormat: "json_object",
      maxUserLength: 0,
      maxOutputTokens: 8192,
    },
    models: [
      { match: /reasoner/i, compat: { maxOutputTokens: 65536, reasoning: "none", samplingParams: false } },
    ],
  },
  ollama: {
    compat: {
      reasoning: "reasoning_effort",
      parallelToolCalls: false,
      maxUserLength: 0,
      midConversationSystem: "user",
    },
    models: [geminiModel],
  },
  vllm: { compat: { topK: true, maxUserLength: 0, midConversationSystem: "user" } },
  llamacpp: { compat: { topK: true, maxUserLength: 0, midConversationSystem: "user" } },
  lmstudio: {
    compat: { topK: true, parallelToolCalls: false, maxUserLength: 0, midConversationSystem: "user" },
  },
  gemini: {
    compat: { schemaDialect: "gemini", reasoning: "reasoning_effort", topK: false, maxUserLength: 0 },
  },
} satisfies Record<string, CompatProfile>;

export type CompatProfileName = keyof typeof compatProfiles;
export const compatProfileNames = Object.keys(compatProfiles) as CompatProfileName[];

/** Guesses the profile from a base URL, for providers that do not name one. */
export function detectCompatProfile(baseUrl: string): CompatProfileName {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return "generic";
  }
  const host = url.hostname.toLowerCase();
  const byHost: [string, CompatProfileName][] = [
    ["openrouter.ai", "openrouter"],
    ["api.openai.com", "openai"],
    ["deepseek.com", "deepseek"],
    ["generativelanguage.googleapis.com", "gemini"],
  ];
  for (const [suffix, profile] of byHost) if (host === suffix || host.endsWith(`.${suffix}`)) return profile;
  // The default ports of the common local servers.
  const byPort: Record<string, CompatProfileName> = {
    "11434": "ollama",
    "1234": "lmstudio",
    "8080": "llamacpp",
    "8000": "vllm",
  };
  return byPort[url.port] ?? "generic";
}

/** The effective record for one upstream model: defaults, then profile, then model rules, then user overrides. */
export function resolveCompat(
  profileName: CompatProfileName,
  model: string,
  overrides: Partial<CompatRecord> = {},
): CompatRecord {
  const profile: CompatProfile = compatProfiles[profileName];
  let record: CompatRecord = { ...defaultCompat, ...profile.compat };
  for (const rule of profile.models ?? []) {
    if (rule.match.test(model)) record = { ...record, ...rule.compat };
  }
  record = { ...record, ...overrides, headers: { ...record.headers, ...overrides.headers } };
  return record;
}
