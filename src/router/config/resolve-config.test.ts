import { describe, expect, it } from "vitest";
import type { RouterConfigInput } from "./config-schema.js";
import { ConfigError, resolveRouterConfig } from "./resolve-config.js";

const base = (): RouterConfigInput => ({
  providers: {
    local: { type: "openai-chat", baseUrl: "http://127.0.0.1:8000/v1" },
  },
  routes: { default: "local/qwen3" },
});

/** `${NAME}`, written without a string literal that looks like a template. */
const braced = (name: string): string => `\${${name}}`;

/** The ConfigError message, or a failure if resolving succeeded. */
function errorOf(input: unknown, env: Record<string, string | undefined> = {}, source?: string): string {
  try {
    resolveRouterConfig(input, env, source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

describe("resolveRouterConfig: defaults", () => {
  it("fills in server, retry and log defaults", () => {
    const config = resolveRouterConfig(base(), {});
    expect(config.server).toEqual({
      host: "127.0.0.1",
      port: 3456,
      tokens: [],
      bodyLimitBytes: 32 * 1024 * 1024,
      pingIntervalMs: 15_000,
      coalesceDeltas: true,
    });
    expect(config.retry).toEqual({ attempts: 1, initialDelayMs: 500, maxDelayMs: 10_000 });
    expect(config.log).toEqual({ level: "info" });
    expect(config.routes.longContextThreshold).toBe(60_000);
  });

  it("strips trailing slashes from baseUrl", () => {
    const input = base();
    input.providers.local = { type: "openai-chat", baseUrl: "http://127.0.0.1:8000/v1//" };
    expect(resolveRouterConfig(input, {}).providers.local).toMatchObject({
      baseUrl: "http://127.0.0.1:8000/v1",
    });
  });

  it("accepts a $schema key", () => {
    expect(() => resolveRouterConfig({ $schema: "./schema.json", ...base() }, {})).not.toThrow();
  });
});

describe("resolveRouterConfig: environment references", () => {
  const withRefs = (): RouterConfigInput => ({
    providers: {
      or: {
        type: "openai-chat",
        baseUrl: braced("OR_BASE"),
        apiKey: "$OR_KEY",
        headers: { "X-Org": braced("ORG"), "X-Literal": "plain" },
      },
      claude: { type: "anthropic", baseUrl: "https://api.anthropic.com", apiKey: braced("ANTHROPIC_KEY") },
    },
    routes: { default: "or/qwen" },
    server: { tokens: ["$GROVE_TOKEN", "literal-token"] },
  });

  it("resolves $NAME and the braced form", () => {
    const config = resolveRouterConfig(withRefs(), {
      OR_BASE: "https://openrouter.ai/api/v1/",
      OR_KEY: "sk-or",
      ORG: "acme",
      ANTHROPIC_KEY: "sk-ant",
      GROVE_TOKEN: "tok",
    });
    expect(config.providers.or).toMatchObject({
      baseUrl: "https://openrouter.ai/api/v1",
      apiKey: "sk-or",
      headers: { "X-Org": "acme", "X-Literal": "plain" },
    });
    expect(config.providers.claude).toMatchObject({ apiKey: "sk-ant" });
    expect(config.server.tokens).toEqual(["tok", "literal-token"]);
  });

  it("leaves values that only contain a $ alone", () => {
    const input = base();
    input.providers.local = {
      type: "openai-chat",
      baseUrl: "http://x/v1",
      apiKey: "pa$$word",
      headers: { A: "$ 1" },
    };
    const config = resolveRouterConfig(input, {});
    expect(config.providers.local).toMatchObject({ apiKey: "pa$$word", headers: { A: "$ 1" } });
  });

  it("reports every missing variable with its field path", () => {
    const message = errorOf(withRefs(), { OR_BASE: "https://openrouter.ai/api/v1" }, "router.json");
    expect(message.startsWith("router.json: ")).toBe(true);
    expect(message).toContain("providers.or.apiKey: environment variable OR_KEY is not set");
    expect(message).toContain("providers.or.headers.X-Org: environment variable ORG is not set");
    expect(message).toContain("providers.claude.apiKey: environment variable ANTHROPIC_KEY is not set");
    expect(message).toContain("server.tokens.0: environment variable GROVE_TOKEN is not set");
    expect(message).not.toContain("OR_BASE");
  });

  it("treats an empty variable as missing", () => {
    const input = base();
    input.providers.local = { type: "openai-chat", baseUrl: "http://x/v1", apiKey: braced("KEY") };
    expect(errorOf(input, { KEY: "" })).toContain(
      "providers.local.apiKey: environment variable KEY is not set",
    );
  });

  it("reports a missing baseUrl variable once, not also as a bad URL", () => {
    const input = base();
    input.providers.local = { type: "openai-chat", baseUrl: "$BASE" };
    const message = errorOf(input);
    expect(message).toContain("providers.local.baseUrl: environment variable BASE is not set");
    expect(message).not.toContain("must start with");
  });

  it("rejects a baseUrl that is not http(s)", () => {
    const input = base();
    input.providers.local = { type: "openai-chat", baseUrl: "localhost:8000/v1" };
    expect(errorOf(input)).toContain(
      'providers.local.baseUrl: must start with http:// or https:// (got "localhost:8000/v1")',
    );
  });
});

describe("resolveRouterConfig: routes", () => {
  it("reports an unknown provider with the route's path", () => {
    const input = base();
    input.routes = {
      default: "nope/model",
      think: ["local/a", "ghost/b"],
      background: "local",
      models: { opus: "missing/x" },
      image: "local/vision",
    };
    const message = errorOf(input);
    expect(message).toContain('routes.default: unknown provider "nope" in "nope/model" (configured: local)');
    expect(message).toContain('routes.think.1: unknown provider "ghost" in "ghost/b"');
    expect(message).toContain('routes.models.opus: unknown provider "missing" in "missing/x"');
    expect(message).not.toContain("routes.think.0");
    expect(message).not.toContain("routes.background");
    expect(message).not.toContain("routes.image");
  });

  it("rejects an empty fallback list", () => {
    const input = base();
    input.routes = { default: [] as unknown as string };
    expect(errorOf(input)).toMatch(/^routes\.default: /m);
  });

  it("requires a default route", () => {
    expect(errorOf({ providers: base().providers, routes: {} })).toMatch(/^routes\.default: /m);
  });
});

describe("resolveRouterConfig: validation messages", () => {
  it("names a bad field type precisely", () => {
    expect(errorOf({ ...base(), server: { port: "3456" } })).toBe(
      "server.port: Invalid input: expected number, received string",
    );
    const input = base();
    (input.providers.local as Record<string, unknown>).apiKey = 42;
    expect(errorOf(input)).toMatch(/^providers\.local\.apiKey: .*expected string/);
  });

  it("names a bad compat override precisely", () => {
    const input = base();
    input.providers.local = {
      type: "openai-chat",
      baseUrl: "http://x/v1",
      compatOverrides: { topK: "yes" as unknown as boolean },
    };
    expect(errorOf(input)).toMatch(/^providers\.local\.compatOverrides\.topK: .*expected boolean/);
  });

  it("rejects an unknown compat profile", () => {
    const input = base();
    input.providers.local = { type: "openai-chat", baseUrl: "http://x/v1", compat: "nonsense" };
    expect(errorOf(input)).toMatch(/^providers\.local\.compat: /);
  });

  it("rejects an unknown provider type", () => {
    const input = { ...base(), providers: { local: { type: "gemini-native", baseUrl: "http://x" } } };
    expect(errorOf(input)).toMatch(/^providers\.local\.type: /);
  });

  it("rejects unknown keys at every level", () => {
    expect(errorOf({ ...base(), extra: 1 })).toMatch(/^\(top level\): .*"extra"/);
    expect(errorOf({ ...base(), routes: { default: "local", sonnet: "local" } })).toMatch(
      /^routes: .*"sonnet"/,
    );
    expect(errorOf({ ...base(), server: { prot: 1 } })).toMatch(/^server: .*"prot"/);
    const input = {
      ...base(),
      providers: { local: { type: "openai-chat", baseUrl: "http://x", api_key: "k" } },
    };
    expect(errorOf(input)).toMatch(/^providers\.local: .*"api_key"/);
    const overrides = {
      ...base(),
      providers: { local: { type: "openai-chat", baseUrl: "http://x", compatOverrides: { topk: true } } },
    };
    expect(errorOf(overrides)).toMatch(/^providers\.local\.compatOverrides: .*"topk"/);
  });

  const badName = {
    providers: { "my provider": { type: "openai-chat", baseUrl: "http://x" } },
    routes: { default: "x" },
  };

  it("rejects a provider name with bad characters, naming it", () => {
    expect(errorOf(badName)).toMatch(/^providers\.my provider: /);
  });

  // zod 4 nests the reason for a bad record key inside the issue.
  it("explains why a provider name is rejected", () => {
    expect(errorOf(badName)).toContain("provider names use letters, digits, _ . -");
  });

  it("reports several problems on separate lines", () => {
    const message = errorOf({ ...base(), server: { port: -1, pingIntervalMs: "x" } });
    expect(message.split("\n")).toHaveLength(2);
    expect(message).toMatch(/^server\.port: /m);
    expect(message).toMatch(/^server\.pingIntervalMs: /m);
  });

  it("prefixes the source when given", () => {
    expect(errorOf({ ...base(), extra: 1 }, {}, "/home/u/.grove/router.json")).toMatch(
      /^\/home\/u\/\.grove\/router\.json: /,
    );
  });
});
