/**
 * The router config file. This zod schema is the single source of truth: it validates the
 * file, gives the TypeScript types, and is published as JSON Schema for editor completion.
 */
import { z } from "zod";
import { compatProfileNames } from "../compat/compat-profiles.js";
import { exchangeSchema } from "../record/exchange.js";
import { scriptSchema } from "../script/script-schema.js";

/** `provider/model`, or just `provider` to pass the client's model name through. */
const targetSchema = z
  .string()
  .min(1)
  .describe(
    "A provider name from `providers`, optionally followed by `/model`: `openrouter/qwen/qwen3-coder`.",
  );

/** One target, or a fallback chain tried in order on 429, 5xx or connection errors. */
export const routeSchema = z.union([targetSchema, z.array(targetSchema).min(1)]);

const secretString = z
  .string()
  // biome-ignore lint/suspicious/noTemplateCurlyInString: documents the ${NAME} syntax.
  .describe("A literal value, or `$NAME` / `${NAME}` to read the environment variable NAME.");

const compatOverridesSchema = z
  .object({
    maxTokensField: z.enum(["max_tokens", "max_completion_tokens"]),
    maxOutputTokens: z.number().int().positive(),
    reasoning: z.enum(["none", "reasoning_effort", "openrouter", "thinking_toggle"]),
    echoReasoningContent: z.boolean(),
    schemaDialect: z.enum(["full", "strict", "gemini"]),
    streamUsage: z.boolean(),
    samplingParams: z.boolean(),
    topK: z.boolean(),
    parallelToolCalls: z.boolean(),
    responseFormat: z.enum(["json_schema", "json_object", "none"]),
    maxToolNameLength: z.number().int().min(8).max(256),
    maxUserLength: z.number().int().min(0),
    midConversationSystem: z.enum(["system", "user"]),
    headers: z.record(z.string(), z.string()),
  })
  .partial()
  .strict();

/** Prices for the dashboard's cost estimate; a model without a price shows no cost. */
export const priceSchema = z
  .object({
    input: z.number().min(0).describe("US dollars per million input tokens."),
    output: z.number().min(0).describe("US dollars per million output tokens."),
  })
  .strict();

const pricingSchema = z
  .record(z.string(), priceSchema)
  .optional()
  .describe(
    "US dollars per million tokens, by the model name sent upstream (`*`: any other model of this provider). Only for the dashboard's estimated cost; never guessed when missing.",
  );

const openAiChatProviderSchema = z
  .object({
    type: z.literal("openai-chat"),
    baseUrl: secretString.describe("Base URL of an OpenAI-compatible API, up to and including `/v1`."),
    apiKey: secretString
      .optional()
      .describe("Sent as `Authorization: Bearer`. Omit to forward the client's key."),
    compat: z.enum(compatProfileNames as [string, ...string[]]).optional(),
    compatOverrides: compatOverridesSchema.optional(),
    /** Per-model overrides, e.g. a local model's real output limit. */
    modelCompat: z.record(z.string(), compatOverridesSchema).optional(),
    models: z.array(z.string()).optional().describe("Models listed by GET /v1/models."),
    headers: z.record(z.string(), secretString).optional(),
    pricing: pricingSchema,
  })
  .strict();

const anthropicProviderSchema = z
  .object({
    type: z.literal("anthropic"),
    baseUrl: secretString.describe("Base URL of a native Anthropic Messages endpoint, without `/v1`."),
    apiKey: secretString.optional().describe("Sent as `x-api-key`. Omit to forward the client's key."),
    betas: z
      .array(z.string())
      .optional()
      .describe("`anthropic-beta` values forwarded; all others are stripped. Default: none."),
    models: z.array(z.string()).optional(),
    headers: z.record(z.string(), secretString).optional(),
    pricing: pricingSchema,
  })
  .strict();

const scriptProviderSchema = z
  .object({
    type: z.literal("script"),
    script: z
      .union([z.string(), scriptSchema])
      .describe("A script file (relative to this config), `builtin:demo`, or the script itself."),
    compat: z.enum(compatProfileNames as [string, ...string[]]).optional(),
    compatOverrides: compatOverridesSchema.optional(),
    models: z.array(z.string()).optional(),
    pricing: pricingSchema,
  })
  .strict();

const replayProviderSchema = z
  .object({
    type: z.literal("replay"),
    cassette: z
      .union([z.string(), z.array(exchangeSchema)])
      .describe(
        "A cassette recorded by `grove router --record` (relative to this config), or its exchanges.",
      ),
    match: z
      .enum(["sequence", "request"])
      .default("sequence")
      .describe(
        "`sequence`: replies in recorded order. `request`: the first unused one with an equal request.",
      ),
    name: z
      .string()
      .optional()
      .describe("Named in errors. Default: the cassette path, or the provider name."),
    compat: z.enum(compatProfileNames as [string, ...string[]]).optional(),
    compatOverrides: compatOverridesSchema.optional(),
    models: z.array(z.string()).optional(),
    pricing: pricingSchema,
  })
  .strict();

export const providerSchema = z.discriminatedUnion("type", [
  openAiChatProviderSchema,
  anthropicProviderSchema,
  scriptProviderSchema,
  replayProviderSchema,
]);

export const routerConfigSchema = z
  .object({
    $schema: z.string().optional(),
    providers: z.record(
      z.string().regex(/^[A-Za-z0-9_.-]+$/, "provider names use letters, digits, _ . -"),
      providerSchema,
    ),
    routes: z
      .object({
        default: routeSchema,
        models: z
          .record(z.string(), routeSchema)
          .optional()
          .describe("Client model names or families (`opus`, `sonnet`, `haiku`) to targets."),
        background: routeSchema.optional().describe("Haiku-class requests (Claude Code's background work)."),
        think: routeSchema.optional().describe("Requests with `thinking.type: enabled`."),
        longContext: routeSchema
          .optional()
          .describe("Requests whose estimated input exceeds longContextThreshold."),
        longContextThreshold: z.number().int().positive().default(60_000),
        image: routeSchema.optional().describe("Requests whose latest user turn carries an image."),
      })
      .strict(),
    server: z
      .object({
        host: z.string().default("127.0.0.1"),
        port: z.number().int().min(0).max(65_535).default(3456),
        tokens: z.array(secretString).default([]),
        bodyLimitBytes: z
          .number()
          .int()
          .positive()
          .default(32 * 1024 * 1024),
        pingIntervalMs: z.number().int().min(0).default(15_000),
        coalesceDeltas: z
          .boolean()
          .default(true)
          .describe(
            "Plain text deltas that reach the router in one upstream read go to the client as one delta (never waits for more).",
          ),
      })
      .strict()
      .default({
        host: "127.0.0.1",
        port: 3456,
        tokens: [],
        bodyLimitBytes: 32 * 1024 * 1024,
        pingIntervalMs: 15_000,
        coalesceDeltas: true,
      }),
    retry: z
      .object({
        attempts: z
          .number()
          .int()
          .min(1)
          .max(10)
          .default(1)
          .describe("Tries per target before falling back."),
        initialDelayMs: z.number().int().min(0).default(500),
        maxDelayMs: z
          .number()
          .int()
          .min(0)
          .default(10_000)
          .describe("A longer Retry-After skips to the next target."),
      })
      .strict()
      .default({ attempts: 1, initialDelayMs: 500, maxDelayMs: 10_000 }),
    log: z
      .object({ level: z.enum(["debug", "info", "warn", "error", "silent"]).default("info") })
      .strict()
      .default({ level: "info" }),
  })
  .strict();

export type RouterConfigInput = z.input<typeof routerConfigSchema>;
export type RouterConfig = z.output<typeof routerConfigSchema>;
export type ProviderConfig = z.output<typeof providerSchema>;
export type Route = z.output<typeof routeSchema>;
export type Price = z.output<typeof priceSchema>;
