import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type MessagesRequest, messagesRequestSchema } from "../../protocol/anthropic.js";
import type { ChatMessage, ChatRequest } from "../../protocol/openai-chat.js";
import { type CompatProfileName, resolveCompat } from "../compat/compat-profiles.js";
import { type CompatRecord, defaultCompat } from "../compat/compat-record.js";
import { buildChatRequest, upstreamUser } from "./build-chat-request.js";

const compatWith = (overrides: Partial<CompatRecord> = {}): CompatRecord => ({
  ...defaultCompat,
  ...overrides,
});

const request = (extra: Record<string, unknown> = {}): MessagesRequest =>
  messagesRequestSchema.parse({
    model: "claude-sonnet-4-6",
    max_tokens: 32000,
    messages: [{ role: "user", content: "hi" }],
    ...extra,
  });

const build = (
  extra: Record<string, unknown> = {},
  compat: CompatRecord = compatWith(),
  model = "up-model",
) => buildChatRequest(request(extra), model, compat);

const bodyOf = (
  extra: Record<string, unknown> = {},
  compat: CompatRecord = compatWith(),
  model = "up-model",
) => build(extra, compat, model).body;

const SESSION_USER_ID = JSON.stringify({
  device_id: "d".repeat(64),
  account_uuid: "",
  session_id: "00000000-0000-0000-0000-000000000001",
});

describe("buildChatRequest: basics", () => {
  it("sets the upstream model and converted messages", () => {
    const body = bodyOf({ system: "sys" });
    expect(body.model).toBe("up-model");
    expect(body.messages).toEqual([
      { role: "system", content: "sys" },
      { role: "user", content: "hi" },
    ]);
  });

  it("sends max_tokens by default", () => {
    const body = bodyOf();
    expect(body.max_tokens).toBe(32000);
    expect(body).not.toHaveProperty("max_completion_tokens");
  });

  it("uses max_completion_tokens for OpenAI reasoning models", () => {
    for (const [profile, model] of [
      ["openai", "o3"],
      ["openai", "gpt-5"],
      ["openai", "gpt-5-mini"],
      ["openrouter", "openai/gpt-5"],
      ["openrouter", "openai/o4-mini"],
    ] as const) {
      const body = bodyOf({}, resolveCompat(profile, model), model);
      expect(body.max_completion_tokens, `${profile} ${model}`).toBe(32000);
      expect(body, `${profile} ${model}`).not.toHaveProperty("max_tokens");
    }
  });

  it("keeps max_tokens for a non-reasoning model on OpenRouter", () => {
    const body = bodyOf({}, resolveCompat("openrouter", "qwen/qwen3-coder"), "qwen/qwen3-coder");
    expect(body.max_tokens).toBe(32000);
  });

  it("clamps to compat.maxOutputTokens (DeepSeek 8192)", () => {
    expect(bodyOf({}, resolveCompat("deepseek", "deepseek-chat")).max_tokens).toBe(8192);
    expect(bodyOf({ max_tokens: 1000 }, resolveCompat("deepseek", "deepseek-chat")).max_tokens).toBe(1000);
    expect(bodyOf({}, resolveCompat("deepseek", "deepseek-reasoner")).max_tokens).toBe(32000);
  });

  it("streams with include_usage unless compat.streamUsage is false", () => {
    expect(bodyOf({ stream: true })).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const noUsage = bodyOf({ stream: true }, compatWith({ streamUsage: false }));
    expect(noUsage.stream).toBe(true);
    expect(noUsage).not.toHaveProperty("stream_options");
    const plain = bodyOf({ stream: false });
    expect(plain).not.toHaveProperty("stream");
    expect(plain).not.toHaveProperty("stream_options");
  });
});

describe("buildChatRequest: sampling", () => {
  it("passes temperature and top_p when sampling params are allowed", () => {
    expect(bodyOf({ temperature: 0.2, top_p: 0.9 })).toMatchObject({ temperature: 0.2, top_p: 0.9 });
  });

  it("passes temperature 0", () => {
    expect(bodyOf({ temperature: 0 }).temperature).toBe(0);
  });

  it("drops temperature and top_p when compat.samplingParams is false", () => {
    const body = bodyOf({ temperature: 1, top_p: 0.9 }, compatWith({ samplingParams: false }));
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("top_p");
    const gpt5 = bodyOf({ temperature: 1 }, resolveCompat("openai", "gpt-5"), "gpt-5");
    expect(gpt5).not.toHaveProperty("temperature");
  });

  it("sends top_k only when compat.topK", () => {
    expect(bodyOf({ top_k: 40 })).not.toHaveProperty("top_k");
    expect(bodyOf({ top_k: 40 }, compatWith({ topK: true })).top_k).toBe(40);
    expect(bodyOf({ top_k: 40 }, resolveCompat("vllm", "m")).top_k).toBe(40);
  });

  it("maps stop_sequences to stop, omitting an empty list", () => {
    expect(bodyOf({ stop_sequences: ["END", "\n\nHuman:"] }).stop).toEqual(["END", "\n\nHuman:"]);
    expect(bodyOf({ stop_sequences: [] })).not.toHaveProperty("stop");
  });
});

describe("buildChatRequest: user", () => {
  it("sends the session id from Claude Code's JSON user_id", () => {
    expect(bodyOf({ metadata: { user_id: SESSION_USER_ID } }).user).toBe(
      "00000000-0000-0000-0000-000000000001",
    );
  });

  it("omits user when compat.maxUserLength is 0", () => {
    expect(
      bodyOf({ metadata: { user_id: SESSION_USER_ID } }, compatWith({ maxUserLength: 0 })),
    ).not.toHaveProperty("user");
    expect(
      bodyOf({ metadata: { user_id: SESSION_USER_ID } }, resolveCompat("deepseek", "deepseek-chat")),
    ).not.toHaveProperty("user");
  });

  it("omits user without metadata or with a null user_id", () => {
    expect(bodyOf()).not.toHaveProperty("user");
    expect(bodyOf({ metadata: { user_id: null } })).not.toHaveProperty("user");
  });

  it("truncates to compat.maxUserLength", () => {
    expect(bodyOf({ metadata: { user_id: "u".repeat(300) } }).user).toBe("u".repeat(64));
    expect(bodyOf({ metadata: { user_id: "u".repeat(300) } }, compatWith({ maxUserLength: 10 })).user).toBe(
      "u".repeat(10),
    );
  });
});

describe("upstreamUser", () => {
  it("prefers session_id, then device_id, else the raw value", () => {
    expect(upstreamUser(SESSION_USER_ID, 64)).toBe("00000000-0000-0000-0000-000000000001");
    expect(upstreamUser(JSON.stringify({ device_id: "dev" }), 64)).toBe("dev");
    expect(upstreamUser(JSON.stringify({ other: 1 }), 64)).toBe('{"other":1}');
    expect(upstreamUser("{not json", 64)).toBe("{not json");
    expect(upstreamUser("plain-user", 64)).toBe("plain-user");
  });

  it("falls back to device_id when session_id is empty", () => {
    expect(upstreamUser(JSON.stringify({ device_id: "dev", session_id: "" }), 64)).toBe("dev");
  });

  it("truncates and honours 0", () => {
    expect(upstreamUser(SESSION_USER_ID, 8)).toBe("00000000");
    expect(upstreamUser(SESSION_USER_ID, 0)).toBeUndefined();
    expect(upstreamUser("", 64)).toBeUndefined();
    expect(upstreamUser(undefined, 64)).toBeUndefined();
  });
});

describe("buildChatRequest: tools", () => {
  const longName = `mcp__some_server__${"very_long_tool_name_".repeat(4)}`;

  it("shortens a long tool name in tools, tool_choice and history, and returns a map that restores it", () => {
    expect(longName.length).toBeGreaterThan(64);
    const built = build({
      tools: [{ name: longName, input_schema: { type: "object", properties: {} } }],
      tool_choice: { type: "tool", name: longName },
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: longName, input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "ok" }] },
      ],
    });
    const upstream = built.body.tools![0]!.function.name;
    expect(upstream.length).toBeLessThanOrEqual(64);
    expect(upstream).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(upstream).not.toBe(longName);
    expect(built.body.tool_choice).toEqual({ type: "function", function: { name: upstream } });
    const assistant = built.body.messages[1] as Extract<ChatMessage, { role: "assistant" }>;
    expect(assistant.tool_calls![0]!.function.name).toBe(upstream);
    expect(built.toolNames.toClient(upstream)).toBe(longName);
  });

  it("shortens a long name that only appears in history", () => {
    const built = build({
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: longName, input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "ok" }] },
      ],
    });
    const assistant = built.body.messages[1] as Extract<ChatMessage, { role: "assistant" }>;
    const name = assistant.tool_calls![0]!.function.name;
    expect(name.length).toBeLessThanOrEqual(64);
    expect(built.toolNames.toClient(name)).toBe(longName);
  });

  it("honours compat.maxToolNameLength", () => {
    const built = build(
      { tools: [{ name: "a".repeat(40), input_schema: {} }] },
      compatWith({ maxToolNameLength: 32 }),
    );
    expect(built.body.tools![0]!.function.name.length).toBeLessThanOrEqual(32);
  });

  it("drops and reports server tools", () => {
    const built = build({
      tools: [
        { name: "Bash", input_schema: { type: "object", properties: {} } },
        { type: "web_search_20250305", name: "web_search", max_uses: 5 },
      ],
    });
    expect(built.body.tools!.map((t) => t.function.name)).toEqual(["Bash"]);
    expect(built.droppedTools).toEqual(["web_search"]);
  });

  it("sanitises tool schemas per dialect (gemini model through OpenRouter)", () => {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { url: { type: "string", format: "uri" }, n: { type: "integer", default: 3 } },
      additionalProperties: false,
    };
    const gemini = bodyOf(
      { tools: [{ name: "Fetch", input_schema: schema }] },
      resolveCompat("openrouter", "google/gemini-2.5-pro"),
    );
    const params = gemini.tools![0]!.function.parameters;
    expect(params).not.toHaveProperty("$schema");
    expect(params).not.toHaveProperty("additionalProperties");
    expect(params).toEqual({
      type: "object",
      properties: { url: { type: "string" }, n: { type: "integer" } },
    });
    const full = bodyOf(
      { tools: [{ name: "Fetch", input_schema: schema }] },
      resolveCompat("openrouter", "qwen/qwen3"),
    );
    expect(full.tools![0]!.function.parameters).toEqual({
      type: "object",
      properties: { url: { type: "string", format: "uri" }, n: { type: "integer", default: 3 } },
      additionalProperties: false,
    });
  });
});

describe("buildChatRequest: thinking", () => {
  it("maps an enabled budget to reasoning_effort on OpenAI reasoning models", () => {
    const compat = resolveCompat("openai", "o3");
    expect(bodyOf({ thinking: { type: "enabled", budget_tokens: 1024 } }, compat).reasoning_effort).toBe(
      "low",
    );
    expect(bodyOf({ thinking: { type: "enabled", budget_tokens: 31999 } }, compat).reasoning_effort).toBe(
      "high",
    );
  });

  it("maps adaptive + output_config.effort", () => {
    const body = bodyOf(
      { thinking: { type: "adaptive" }, output_config: { effort: "low" } },
      resolveCompat("openrouter", "x/y"),
    );
    expect(body.reasoning).toEqual({ effort: "low" });
  });

  it("sends DeepSeek's thinking toggle, never Anthropic's thinking object", () => {
    const on = bodyOf(
      { thinking: { type: "enabled", budget_tokens: 2048 } },
      resolveCompat("deepseek", "deepseek-chat"),
    );
    expect(on.thinking).toEqual({ type: "enabled" });
    const off = bodyOf({ thinking: { type: "disabled" } }, resolveCompat("deepseek", "deepseek-chat"));
    expect(off.thinking).toEqual({ type: "disabled" });
  });

  it("sends no reasoning fields for a backend without reasoning control", () => {
    const body = bodyOf({ thinking: { type: "enabled", budget_tokens: 31999 } });
    for (const key of ["thinking", "reasoning", "reasoning_effort", "enable_thinking"]) {
      expect(body).not.toHaveProperty(key);
    }
  });
});

describe("buildChatRequest: output_config.format", () => {
  const format = {
    type: "json_schema",
    schema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { title: { type: "string" } },
      required: ["title"],
      additionalProperties: false,
    },
  };

  it("maps to response_format json_schema, sanitised", () => {
    const body = bodyOf({ output_config: { effort: "high", format } });
    expect(body.response_format).toEqual({
      type: "json_schema",
      json_schema: {
        name: "output",
        schema: {
          type: "object",
          properties: { title: { type: "string" } },
          required: ["title"],
          additionalProperties: false,
        },
      },
    });
  });

  it("uses the gemini dialect for the response schema too", () => {
    const body = bodyOf({ output_config: { format } }, resolveCompat("openrouter", "google/gemini-3-pro"));
    const rf = body.response_format as { json_schema: { schema: Record<string, unknown> } };
    expect(rf.json_schema.schema).not.toHaveProperty("additionalProperties");
  });

  it("degrades to json_object or nothing per compat", () => {
    expect(
      bodyOf({ output_config: { format } }, compatWith({ responseFormat: "json_object" })).response_format,
    ).toEqual({
      type: "json_object",
    });
    expect(
      bodyOf({ output_config: { format } }, resolveCompat("deepseek", "deepseek-chat")).response_format,
    ).toEqual({
      type: "json_object",
    });
    expect(bodyOf({ output_config: { format } }, compatWith({ responseFormat: "none" }))).not.toHaveProperty(
      "response_format",
    );
  });

  it("ignores other format types", () => {
    expect(bodyOf({ output_config: { format: { type: "text" } } })).not.toHaveProperty("response_format");
  });
});

describe("buildChatRequest: fields that must never be forwarded", () => {
  it("drops output_config, context_management, cache_control, metadata and unknown fields", () => {
    const body = bodyOf({
      system: [{ type: "text", text: "sys", cache_control: { type: "ephemeral" } }],
      messages: [
        {
          role: "user",
          content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral", ttl: "1h" } }],
        },
      ],
      tools: [
        {
          name: "Bash",
          input_schema: { type: "object", properties: {} },
          cache_control: { type: "ephemeral" },
        },
      ],
      output_config: { effort: "high" },
      context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
      metadata: { user_id: "u1" },
      betas: ["x"],
      container: "c",
      mcp_servers: [],
      service_tier: "auto",
    });
    const allowed = new Set<string>([
      "model",
      "messages",
      "max_tokens",
      "max_completion_tokens",
      "stream",
      "stream_options",
      "temperature",
      "top_p",
      "top_k",
      "stop",
      "user",
      "tools",
      "tool_choice",
      "parallel_tool_calls",
      "reasoning_effort",
      "reasoning",
      "thinking",
      "response_format",
    ]);
    for (const key of Object.keys(body)) expect(allowed.has(key), key).toBe(true);
    const text = JSON.stringify(body);
    for (const banned of [
      "cache_control",
      "output_config",
      "context_management",
      "clear_thinking",
      "betas",
      "ttl",
    ]) {
      expect(text).not.toContain(banned);
    }
  });
});

// ---- Real Claude Code captures ----

const FIXTURES = [
  "claude-02-request.json",
  "claude-03-request.json",
  "claude-04-request.json",
  "claude-08-request.json",
  "claude-09-request.json",
  "claude-12-request.json",
  "claude-13-request.json",
  "claude-v2.1.332-01-request.json",
];

function loadFixture(name: string): MessagesRequest {
  const url = new URL(`../../../test/fixtures/${name}`, import.meta.url);
  const capture = JSON.parse(readFileSync(url, "utf8")) as { body: unknown };
  return messagesRequestSchema.parse(capture.body);
}

const TARGETS: {
  label: string;
  profile: CompatProfileName;
  model: string;
  overrides?: Partial<CompatRecord>;
}[] = [
  { label: "generic", profile: "generic", model: "qwen3-coder" },
  {
    label: "generic strict",
    profile: "generic",
    model: "qwen3-coder",
    overrides: { schemaDialect: "strict" },
  },
  { label: "openai gpt-5", profile: "openai", model: "gpt-5" },
  { label: "openai gpt-4o", profile: "openai", model: "gpt-4o" },
  { label: "openrouter gemini", profile: "openrouter", model: "google/gemini-2.5-pro" },
  { label: "deepseek", profile: "deepseek", model: "deepseek-chat" },
  { label: "ollama", profile: "ollama", model: "qwen3:32b" },
  { label: "vllm", profile: "vllm", model: "Qwen/Qwen3-Coder-30B" },
];

/** Every key used as a schema keyword (property names under `properties` are data, not keywords). */
function schemaKeywords(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) schemaKeywords(item, out);
  } else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      out.add(key);
      if (key === "properties" && typeof value === "object" && value !== null) {
        for (const sub of Object.values(value)) schemaKeywords(sub, out);
      } else schemaKeywords(value, out);
    }
  }
  return out;
}

function expectValidToolOrdering(messages: ChatMessage[]): void {
  messages.forEach((message, i) => {
    if (message.role === "tool") {
      // A tool message follows an assistant tool_calls message or another tool message.
      const previous = messages[i - 1];
      expect(previous?.role === "tool" || (previous?.role === "assistant" && !!previous.tool_calls)).toBe(
        true,
      );
    }
    if (message.role !== "assistant" || !message.tool_calls) return;
    const ids = message.tool_calls.map((call) => call.id);
    const following = messages.slice(i + 1, i + 1 + ids.length);
    expect(following.map((m) => m.role)).toEqual(ids.map(() => "tool"));
    expect(following.map((m) => (m as { tool_call_id: string }).tool_call_id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(messages[i + 1 + ids.length]?.role).not.toBe("tool");
  });
}

describe("buildChatRequest on real Claude Code captures", () => {
  for (const name of FIXTURES) {
    describe(name, () => {
      const source = loadFixture(name);

      for (const target of TARGETS) {
        it(`builds a valid request for ${target.label}`, () => {
          const compat = resolveCompat(target.profile, target.model, target.overrides);
          const built = buildChatRequest(source, target.model, compat);
          const body: ChatRequest = built.body;
          const text = JSON.stringify(body);
          expect(JSON.parse(text)).toEqual(body);

          expect(body.model).toBe(target.model);
          const limit = body[compat.maxTokensField];
          expect(limit).toBe(Math.min(source.max_tokens, compat.maxOutputTokens ?? Number.POSITIVE_INFINITY));
          const other = compat.maxTokensField === "max_tokens" ? "max_completion_tokens" : "max_tokens";
          expect(body).not.toHaveProperty(other);
          expect(body.stream).toBe(source.stream === true ? true : undefined);

          expectValidToolOrdering(body.messages);

          // The system prompt comes first, without the billing header.
          expect(body.messages[0]?.role).toBe("system");
          expect(text).not.toContain("x-anthropic-billing-header");
          expect(text).not.toContain("cache_control");
          for (const key of ["output_config", "context_management", "metadata", "system"]) {
            expect(body).not.toHaveProperty(key);
          }

          if (compat.midConversationSystem === "user") {
            expect(body.messages.slice(1).some((m) => m.role === "system")).toBe(false);
          }
          // Mid-conversation system content is never dropped.
          for (const message of source.messages.filter((m) => m.role === "system")) {
            const content = message.content;
            const first = typeof content === "string" ? content : (content[0] as { text: string }).text;
            expect(text).toContain(JSON.stringify(first.slice(0, 40)).slice(1, -1));
          }

          const keywords = schemaKeywords(body.tools ?? []);
          expect(keywords.has("$schema")).toBe(false);
          if (compat.schemaDialect !== "full") expect(keywords.has("propertyNames")).toBe(false);
          if (compat.schemaDialect === "gemini") {
            for (const banned of ["additionalProperties", "const", "exclusiveMinimum", "default"]) {
              expect(keywords.has(banned), banned).toBe(false);
            }
          }

          const clientTools = source.tools ?? [];
          expect(body.tools?.length ?? 0).toBe(clientTools.length);
          expect(built.droppedTools).toEqual([]);
          for (const tool of body.tools ?? []) expect(tool.function.name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);

          if (compat.maxUserLength > 0) expect(body.user).toMatch(/^[0-9a-f-]{36}$/);
          else expect(body).not.toHaveProperty("user");
        });
      }
    });
  }

  it("claude-02: the trailing system message lands in the user turn for ollama", () => {
    const body = buildChatRequest(
      loadFixture("claude-02-request.json"),
      "qwen3:32b",
      resolveCompat("ollama", "qwen3:32b"),
    ).body;
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(body.messages[1]?.content).toContain("<system>\nAvailable agent types");
  });

  it("claude-03: the tool_result follows its tool call", () => {
    const body = buildChatRequest(
      loadFixture("claude-03-request.json"),
      "m",
      resolveCompat("generic", "m"),
    ).body;
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user", "system", "assistant", "tool"]);
    const assistant = body.messages[3] as Extract<ChatMessage, { role: "assistant" }>;
    expect(assistant.content).toBe("I'll create hello.txt now.");
    expect(assistant.tool_calls?.[0]?.function.name).toBe("Write");
    expect(body.messages[4]).toMatchObject({ role: "tool", tool_call_id: assistant.tool_calls?.[0]?.id });
  });

  it("claude-04: the title call's json_schema format becomes response_format", () => {
    const source = loadFixture("claude-04-request.json");
    const openai = buildChatRequest(source, "gpt-5", resolveCompat("openai", "gpt-5")).body;
    expect(openai.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "output" } });
    expect(openai).not.toHaveProperty("tools");
    expect(openai).not.toHaveProperty("reasoning_effort");
    const deepseek = buildChatRequest(
      source,
      "deepseek-chat",
      resolveCompat("deepseek", "deepseek-chat"),
    ).body;
    expect(deepseek.response_format).toEqual({ type: "json_object" });
    expect(deepseek.thinking).toEqual({ type: "disabled" });
  });

  it("claude-09: haiku's 31999 budget maps to high effort", () => {
    const body = buildChatRequest(
      loadFixture("claude-09-request.json"),
      "o3",
      resolveCompat("openai", "o3"),
    ).body;
    expect(body.reasoning_effort).toBe("high");
  });

  it("claude-13: temperature 1 passes on generic and is dropped for gpt-5", () => {
    const source = loadFixture("claude-13-request.json");
    expect(buildChatRequest(source, "m", resolveCompat("generic", "m")).body.temperature).toBe(1);
    expect(buildChatRequest(source, "gpt-5", resolveCompat("openai", "gpt-5")).body).not.toHaveProperty(
      "temperature",
    );
  });
});
