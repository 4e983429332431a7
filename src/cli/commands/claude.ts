import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { constants } from "node:os";
import { join } from "node:path";
import { defineCommand } from "citty";
import { claudeEnvironment, routerClientUrl } from "../../node/claude-env.js";
import { findExecutable, groveHome } from "../../node/paths.js";
import { type RunningRouter, serveRouter } from "../../node/serve-router.js";
import type { RouterConfig } from "../../router/config/config-schema.js";
import { createLogger } from "../../router/log.js";
import { CliError } from "../errors.js";
import { routerConfigFromFlags } from "./router-options.js";

export default defineCommand({
  meta: {
    name: "claude",
    description:
      "Run Claude Code through the grove router (reusing a running one, or starting one for this session)",
  },
  async run({ rawArgs }) {
    const claude = process.env.GROVE_CLAUDE_BIN || findExecutable("claude");
    if (!claude) {
      throw new CliError("Claude Code is not installed: npm install -g @anthropic-ai/claude-code@2.1.197");
    }
    const config = routerConfigFromFlags({});
    let baseUrl = routerClientUrl(config);
    let ownRouter: RunningRouter | undefined;
    if (!(await isGroveRouter(baseUrl))) {
      ownRouter = await startSessionRouter(config);
      baseUrl = ownRouter.url;
    }
    const child = spawn(claude, rawArgs, {
      stdio: "inherit",
      env: { ...withoutAnthropicAuth(process.env), ...claudeEnvironment(baseUrl, config, process.env) },
    });
    const code = await new Promise<number>((resolve, reject) => {
      child.once("error", (error) => reject(new CliError(`could not start ${claude}: ${error.message}`)));
      child.once("exit", (exitCode, signal) =>
        resolve(exitCode ?? 128 + (signal ? (constants.signals[signal] ?? 15) : 0)),
      );
    });
    await ownRouter?.close();
    process.exit(code);
  },
});

async function isGroveRouter(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(500) });
    const body = (await response.json()) as { service?: string };
    return body.service === "grove-router";
  } catch {
    return false;
  }
}

/** A router for this session only, on a free loopback port; its log goes to a file, not the terminal. */
async function startSessionRouter(config: RouterConfig): Promise<RunningRouter> {
  const logDir = join(groveHome(), "logs");
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, "router.log");
  const logger = createLogger(config.log.level, (line) => void appendFile(logFile, `${line}\n`));
  const sessionConfig = { ...config, server: { ...config.server, host: "127.0.0.1", port: 0 } };
  return serveRouter({ config: sessionConfig, logger });
}

function withoutAnthropicAuth(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { ANTHROPIC_AUTH_TOKEN: _token, ...rest } = env;
  return rest;
}
