/** `grove worker init` and `grove worker dev`: the router as a Cloudflare Worker. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { defineCommand } from "citty";
import { defaultRouterConfigPath } from "../../node/paths.js";
import { startWorkerDev } from "../../node/worker-dev.js";
import { type WorkerProject, writeWorkerProject } from "../../node/worker-project.js";
import { secretCommands } from "../../node/worker-project-files.js";
import { ConfigError } from "../../router/config/resolve-config.js";
import { CliError } from "../errors.js";

const DEFAULT_DIR = "grove-router";

const init = defineCommand({
  meta: {
    name: "init",
    description: "Write a Cloudflare Worker project serving the grove router, ready for `wrangler deploy`",
  },
  args: {
    dir: { type: "positional", required: false, description: `Project directory (default ./${DEFAULT_DIR})` },
    config: { type: "string", description: "Router config file (default: $GROVE_HOME/router.json)" },
    upstream: {
      type: "string",
      description:
        "Key passthrough (y-router's mode): an OpenAI-compatible base URL; each client's key goes upstream",
    },
    model: { type: "string", description: "With --upstream: force this model (default: the client's)" },
    compat: {
      type: "string",
      description: "With --upstream: compat profile (openrouter, openai, deepseek, …)",
    },
    demo: { type: "boolean", description: "Serve grove's scripted demo model (no provider, no key)" },
    name: { type: "string", default: DEFAULT_DIR, description: "Worker name on Cloudflare" },
    force: {
      type: "boolean",
      description: "Write into a directory that is not empty (rewrites init's files)",
    },
  },
  async run({ args }) {
    const dir = resolve(args.dir ?? DEFAULT_DIR);
    if (existsSync(dir) && !statSync(dir).isDirectory())
      throw new CliError(`${dir} is a file, not a directory`);
    if (existsSync(dir) && readdirSync(dir).length > 0 && !args.force) {
      throw new CliError(
        `${dir} is not an empty directory: name a new one, or pass --force to rewrite grove's files in it`,
      );
    }
    const { config, configPath } = chooseConfig(args);
    const project = await writeWorkerProject({
      dir,
      name: args.name,
      config,
      ...(configPath ? { configPath } : {}),
    });
    process.stdout.write(initReport(project));
  },
});

interface ConfigFlags {
  config?: string;
  upstream?: string;
  model?: string;
  compat?: string;
  demo?: boolean;
}

/** The config as written, `$NAME`s unresolved: from flags, --config, or $GROVE_HOME/router.json. */
function chooseConfig(flags: ConfigFlags): { config: unknown; configPath?: string } {
  const sources = [flags.config && "--config", flags.upstream && "--upstream", flags.demo && "--demo"].filter(
    Boolean,
  );
  if (sources.length > 1) throw new CliError(`${sources.join(" and ")} are alternatives: pass one of them`);
  if ((flags.model || flags.compat) && !flags.upstream)
    throw new CliError("--model and --compat go with --upstream");
  if (flags.demo) {
    return {
      config: {
        providers: { demo: { type: "script", script: "builtin:demo" } },
        routes: { default: "demo" },
      },
    };
  }
  if (flags.upstream) {
    const provider = {
      type: "openai-chat",
      baseUrl: flags.upstream,
      ...(flags.compat ? { compat: flags.compat } : {}),
    };
    return {
      config: {
        providers: { upstream: provider },
        routes: { default: flags.model ? `upstream/${flags.model}` : "upstream" },
      },
    };
  }
  const path = resolve(flags.config ?? defaultRouterConfigPath());
  if (!existsSync(path)) {
    throw new CliError(
      flags.config
        ? `${path}: no such config file`
        : `no router config at ${path}: pass --config FILE, --upstream URL (key passthrough) or --demo`,
    );
  }
  try {
    return { config: JSON.parse(readFileSync(path, "utf8")), configPath: path };
  } catch (error) {
    throw new ConfigError(`not valid JSON: ${(error as Error).message}`, path);
  }
}

const API_KEY_HINT: Record<WorkerProject["mode"], string> = {
  passthrough: "<your provider key>",
  providers: "<a router token>",
  scripted: "<anything>",
};

function initReport(project: WorkerProject): string {
  const mode = {
    passthrough: "key passthrough: each client's own key goes upstream",
    providers: "configured providers: the Worker's keys, behind router tokens",
    scripted: "scripted: the model answers inside the Worker, no provider",
  }[project.mode];
  const lines = [`grove worker init: wrote a Cloudflare Worker project in ${project.dir} (${mode})`];
  lines.push(`  ${project.files.join(", ")}`, "");
  const commands = secretCommands(project.secrets);
  if (commands.length > 0) {
    lines.push("Secrets stay out of the bundle: set each once, in the project directory:");
    lines.push(...commands.map((command) => `  ${command}`));
    if (project.addedToken) {
      lines.push(
        "  (GROVE_ROUTER_TOKEN was added: the providers hold keys, and a Worker is public. Choose any long random value;",
        "   Claude Code sends it as its API key.)",
      );
    }
    lines.push("");
  }
  lines.push(`Try it locally, in workerd: grove worker dev ${project.dir}`);
  lines.push(`Deploy: cd ${project.dir} && npm install && npx wrangler deploy`);
  lines.push("Then point Claude Code at the URL wrangler prints:");
  lines.push(`  ANTHROPIC_BASE_URL=https://${project.name}.<your-subdomain>.workers.dev`);
  lines.push(`  ANTHROPIC_API_KEY=${API_KEY_HINT[project.mode]}`);
  return `${lines.join("\n")}\n`;
}

const dev = defineCommand({
  meta: {
    name: "dev",
    description: "Run a project from `grove worker init` locally in workerd (the Workers runtime)",
  },
  args: {
    dir: { type: "positional", required: false, description: `Project directory (default ./${DEFAULT_DIR})` },
    port: { type: "string", default: "8787", description: "Port on 127.0.0.1; 0 picks a free one" },
  },
  async run({ args }) {
    const port = Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new CliError(`--port must be a whole number from 0 to 65535 (got "${args.port}")`);
    }
    const dir = resolve(args.dir ?? DEFAULT_DIR);
    const runtime = await startWorkerDev({
      dir,
      port,
      onLine: (line) => process.stderr.write(`${line}\n`),
    });
    const stop = () => {
      void runtime.close().then(() => process.exit(0));
    };
    // Before the listening line: whoever waits for it may signal at once.
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    process.stdout.write(
      `grove worker listening on ${runtime.url}\n` +
        `  (workerd, the Workers runtime, serving ${dir}; Ctrl-C stops it)\n` +
        `  ANTHROPIC_BASE_URL=${runtime.url} claude\n`,
    );
  },
});

export default defineCommand({
  meta: { name: "worker", description: "Run the grove router as a Cloudflare Worker (init, dev)" },
  subCommands: { init, dev },
});
