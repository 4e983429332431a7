import { spawn } from "node:child_process";
import { constants } from "node:os";
import { defineCommand } from "citty";
import { claudeEnvironment } from "../../node/claude-env.js";
import { findExecutable } from "../../node/paths.js";
import { CliError } from "../errors.js";
import { sessionRouter } from "../session-router.js";
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
    const router = await sessionRouter(config);
    const baseUrl = router.url;
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
    await router.close();
    process.exit(code);
  },
});

function withoutAnthropicAuth(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { ANTHROPIC_AUTH_TOKEN: _token, ...rest } = env;
  return rest;
}
