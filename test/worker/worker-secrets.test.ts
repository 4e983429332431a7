/** What `grove worker init` takes out of a config, and what it leaves, before bundling it. */
import { describe, expect, it } from "vitest";
import { parseJsonc } from "../../src/node/jsonc.js";
import { stripSecrets } from "../../src/node/worker-secrets.js";

describe("stripSecrets", () => {
  it("keeps $NAME references, lists them, and moves literals to new names that do not collide", () => {
    const { config, secrets, addedToken } = stripSecrets({
      providers: {
        a: { type: "openai-chat", baseUrl: "$A_URL", apiKey: "$GROVE_B_API_KEY" },
        b: { type: "anthropic", baseUrl: "https://b.example", apiKey: "literal-b" },
      },
      routes: { default: "a" },
      server: { tokens: ["$MY_TOKEN", "literal-token"] },
    });
    expect(config.providers.a).toMatchObject({ baseUrl: "$A_URL", apiKey: "$GROVE_B_API_KEY" });
    // GROVE_B_API_KEY is already read by provider a, so b's literal key gets another name.
    expect(config.providers.b).toMatchObject({ apiKey: "$GROVE_B_API_KEY_2" });
    expect(config.server?.tokens).toEqual(["$MY_TOKEN", "$GROVE_ROUTER_TOKEN"]);
    expect(secrets).toEqual([
      { name: "A_URL", path: "providers.a.baseUrl", moved: false },
      { name: "GROVE_B_API_KEY", path: "providers.a.apiKey", moved: false },
      { name: "GROVE_B_API_KEY_2", path: "providers.b.apiKey", moved: true },
      { name: "MY_TOKEN", path: "server.tokens.0", moved: false },
      { name: "GROVE_ROUTER_TOKEN", path: "server.tokens.1", moved: true },
    ]);
    expect(addedToken).toBe(false);
  });

  it("adds a router token when providers hold keys and the config has none", () => {
    const { config, secrets, addedToken } = stripSecrets({
      providers: {
        or: { type: "openai-chat", baseUrl: "https://openrouter.ai/api/v1", apiKey: "sk-literal" },
      },
      routes: { default: "or" },
      server: { port: 3456 },
    });
    expect(addedToken).toBe(true);
    expect(config.server).toEqual({ port: 3456, tokens: ["$GROVE_ROUTER_TOKEN"] });
    expect(secrets.map((secret) => secret.name)).toEqual(["GROVE_OR_API_KEY", "GROVE_ROUTER_TOKEN"]);
    expect(JSON.stringify(config)).not.toContain("sk-literal");
  });

  it("leaves a key-passthrough config as it is: nothing to hide, no token needed", () => {
    const input = {
      providers: {
        up: {
          type: "openai-chat" as const,
          baseUrl: "https://openrouter.ai/api/v1",
          headers: { "X-Title": "grove" },
        },
      },
      routes: { default: "up" },
    };
    const { config, secrets, addedToken } = stripSecrets(input);
    expect(config).toEqual(input);
    expect(secrets).toEqual([]);
    expect(addedToken).toBe(false);
  });
});

describe("parseJsonc", () => {
  it("drops comments and trailing commas, but not look-alikes inside strings", () => {
    const text = `// head
{
  /* block */ "url": "https://example.com//x", // trailing
  "text": "a,}b /* not a comment */",
  "list": [1, 2,],
}
`;
    expect(parseJsonc(text)).toEqual({
      url: "https://example.com//x",
      text: "a,}b /* not a comment */",
      list: [1, 2],
    });
  });
});
