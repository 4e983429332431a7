/**
 * Takes every secret out of a router config before it is bundled into a Worker: literal provider
 * keys, secret-looking headers and router tokens become `$NAME` references, and each referenced
 * name is listed for `wrangler secret put NAME`. The values themselves never leave this process.
 */
import type { RouterConfigInput } from "../router/config/config-schema.js";

/** The `$NAME` / `${NAME}` form that resolve-config.ts reads from the environment. */
const ENV_REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;
/** Header names whose literal values are treated as secrets; others (HTTP-Referer, X-Title) stay. */
const SECRET_HEADER = /auth|key|token|secret|password|cookie|signature/i;

export interface WorkerSecret {
  /** The Worker secret (environment variable) the config now reads. */
  name: string;
  /** Where in the config, e.g. `providers.openrouter.apiKey`. */
  path: string;
  /** The config held the value itself, and now reads `$name` instead. */
  moved: boolean;
}

export interface StrippedConfig {
  config: RouterConfigInput;
  secrets: WorkerSecret[];
  /** A router token was added because providers hold keys and the config had no token. */
  addedToken: boolean;
}

export function referencedName(value: string): string | undefined {
  const match = ENV_REFERENCE.exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

export function stripSecrets(input: RouterConfigInput): StrippedConfig {
  const config = structuredClone(input);
  const secrets: WorkerSecret[] = [];
  // Names the config already reads are not free for the secrets moved out of it.
  const taken = new Set(referencesIn(config));
  /** Keeps a reference as it is, or moves a literal into a new secret named after `suggested`. */
  const secret = (value: string, path: string, suggested: string, move: boolean): string => {
    const existing = referencedName(value);
    if (existing) {
      secrets.push({ name: existing, path, moved: false });
      taken.add(existing);
      return value;
    }
    if (!move) return value;
    let name = suggested;
    for (let n = 2; taken.has(name); n++) name = `${suggested}_${n}`;
    taken.add(name);
    secrets.push({ name, path, moved: true });
    return `$${name}`;
  };

  for (const [providerName, provider] of Object.entries(config.providers)) {
    if (provider.type !== "openai-chat" && provider.type !== "anthropic") continue;
    const prefix = `GROVE_${envName(providerName)}`;
    const at = `providers.${providerName}`;
    provider.baseUrl = secret(provider.baseUrl, `${at}.baseUrl`, "", false);
    if (provider.apiKey !== undefined) {
      provider.apiKey = secret(provider.apiKey, `${at}.apiKey`, `${prefix}_API_KEY`, true);
    }
    for (const [header, value] of Object.entries(provider.headers ?? {})) {
      provider.headers![header] = secret(
        value,
        `${at}.headers.${header}`,
        `${prefix}_${envName(header)}`,
        SECRET_HEADER.test(header),
      );
    }
  }
  const server = config.server ?? {};
  const tokens = (server.tokens ?? []).map((token, index) =>
    secret(token, `server.tokens.${index}`, "GROVE_ROUTER_TOKEN", true),
  );
  const holdsKeys = Object.values(config.providers).some(
    (provider) => "apiKey" in provider && provider.apiKey,
  );
  // A Worker is public: keys it holds must sit behind a router token.
  const addedToken = holdsKeys && tokens.length === 0;
  if (addedToken) tokens.push(secret("", "server.tokens.0", "GROVE_ROUTER_TOKEN", true));
  if (tokens.length > 0) config.server = { ...server, tokens };
  return { config, secrets, addedToken };
}

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/** Every `$NAME` a config (or any JSON value) reads. */
export function referencesIn(value: unknown): string[] {
  if (typeof value === "string") {
    const name = referencedName(value);
    return name ? [name] : [];
  }
  if (value && typeof value === "object") return Object.values(value).flatMap(referencesIn);
  return [];
}
