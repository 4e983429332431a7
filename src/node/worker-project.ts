/**
 * `grove worker init`: writes a deployable Cloudflare Worker project from a router config.
 * Secrets are moved out into Worker secrets; script and cassette files are inlined, since a
 * Worker has no file system; grove's router is bundled beside a small entry module.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type RouterConfigInput, routerConfigSchema } from "../router/config/config-schema.js";
import {
  ConfigError,
  type EnvRecord,
  formatZodIssues,
  resolveRouterConfig,
} from "../router/config/resolve-config.js";
import { bundleRouterWorker } from "./worker-bundle.js";
import { ENTRY_MODULE, GITIGNORE, packageJson, readme, wranglerConfig } from "./worker-project-files.js";
import { stripSecrets, type WorkerSecret } from "./worker-secrets.js";

export interface WorkerProjectInput {
  dir: string;
  /** The Worker's name on Cloudflare (its workers.dev subdomain). */
  name: string;
  /** The router config as written, `$NAME` references unresolved. */
  config: unknown;
  /** Where it was read from, for script and cassette files named relative to it. */
  configPath?: string;
}

export interface WorkerProject {
  dir: string;
  name: string;
  /**
   * `passthrough`: each client's own key goes upstream. `providers`: the Worker's keys, behind
   * router tokens. `scripted`: only script or replay providers, which answer inside the Worker.
   */
  mode: "passthrough" | "providers" | "scripted";
  secrets: WorkerSecret[];
  addedToken: boolean;
  files: string[];
}

const WORKER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export async function writeWorkerProject(input: WorkerProjectInput): Promise<WorkerProject> {
  if (!WORKER_NAME.test(input.name)) {
    throw new ConfigError(
      `"${input.name}" is not a Worker name: use lowercase letters, digits and dashes (at most 63)`,
      "--name",
    );
  }
  const source = input.configPath ?? "router config";
  const parsed = routerConfigSchema.safeParse(input.config);
  if (!parsed.success) throw new ConfigError(formatZodIssues(parsed.error), source);
  const { config, secrets, addedToken } = stripSecrets(input.config as RouterConfigInput);
  inlineFiles(config, source, input.configPath);
  // Where to listen is the Workers platform's business.
  if (config.server) {
    delete config.server.host;
    delete config.server.port;
  }
  const networked = Object.values(config.providers).filter(
    (provider) => provider.type === "openai-chat" || provider.type === "anthropic",
  );
  const holdsKeys = networked.some((provider) => provider.apiKey);
  const files: [string, string][] = [
    ["router.json", `${JSON.stringify(config, null, 2)}\n`],
    ["src/index.js", ENTRY_MODULE],
    ["src/grove-router.js", await bundleRouterWorker()],
    ["wrangler.jsonc", wranglerConfig(input.name)],
    ["package.json", packageJson(input.name)],
    [".gitignore", GITIGNORE],
    ["README.md", readme(input.name, secrets)],
  ];
  for (const [file, text] of files) {
    mkdirSync(dirname(join(input.dir, file)), { recursive: true });
    writeFileSync(join(input.dir, file), text);
  }
  return {
    dir: input.dir,
    name: input.name,
    mode: holdsKeys ? "providers" : networked.length > 0 ? "passthrough" : "scripted",
    secrets,
    addedToken,
    files: files.map(([file]) => file),
  };
}

/**
 * Validates the secret-free config (every `$NAME` stands in as a placeholder URL) and replaces
 * script and cassette file names with their contents.
 */
function inlineFiles(config: RouterConfigInput, source: string, configPath: string | undefined): void {
  const placeholders = new Proxy({}, { get: () => "https://placeholder.invalid" }) as EnvRecord;
  const resolved = resolveRouterConfig(structuredClone(config), placeholders, source, {
    loadFile: (file) => {
      if (!configPath) throw new Error("a file can only be named in a config file");
      return readFileSync(resolve(dirname(configPath), file), "utf8");
    },
  });
  for (const [name, provider] of Object.entries(config.providers)) {
    const done = resolved.providers[name];
    if (provider.type === "script" && done?.type === "script" && typeof provider.script === "string") {
      if (!provider.script.startsWith("builtin:")) provider.script = done.script;
    }
    if (provider.type === "replay" && done?.type === "replay" && typeof provider.cassette === "string") {
      provider.cassette = done.cassette;
      provider.name = done.name;
    }
  }
}
