/**
 * What a run starts: the agent's command line and environment, and for Claude Code and Codex a
 * grove router of the run's own (loopback, a free port, a random token) and the translator of
 * their output into grove's event protocol.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { claudeEnvironment } from "../../node/claude-env.js";
import type { RunningRouter } from "../../node/serve-router.js";
import type { RouterConfig } from "../../router/config/config-schema.js";
import {
  type AgentLaunch,
  agentBaseEnv,
  builtinLaunch,
  claudeLaunch,
  codexLaunch,
  codexRouterConfig,
  locateAgentBinary,
} from "./agent-command.js";
import type { RunFiles, RunnerSpec } from "./spec.js";
import type { AgentTranslator } from "./translator.js";

export interface PreparedLaunch {
  launch: AgentLaunch;
  translator?: AgentTranslator;
  router?: RunningRouter;
}

/** The command line, and for Claude and Codex the router it talks to. */
export async function prepareLaunch(spec: RunnerSpec, files: RunFiles): Promise<PreparedLaunch> {
  const env = agentBaseEnv(spec);
  const resumed = spec.resumeSessionId !== undefined;
  switch (spec.agent) {
    case "builtin":
      return { launch: builtinLaunch(spec) };
    // Loaded only for the agents that need them: the wrapper of a built-in agent run starts faster.
    case "claude": {
      const { createClaudeTranslator } = await import("./claude-events.js");
      const bin = locateAgentBinary("claude", env);
      const router = await startRunRouter(spec, files);
      const routerEnv = claudeEnvironment(router.running.url, router.config, env);
      return {
        launch: claudeLaunch(spec, bin, { routerEnv }),
        translator: createClaudeTranslator({ resumed }),
        router: router.running,
      };
    }
    case "codex": {
      const { createCodexTranslator, lastCodexThreadUsage } = await import("./codex-events.js");
      const bin = locateAgentBinary("codex", env);
      const router = await startRunRouter(spec, files, (config) => codexRouterConfig(config, spec.model));
      const launch = codexLaunch(spec, bin, {
        routerUrl: router.running.url,
        routerToken: router.config.server.tokens[0]!,
      });
      try {
        for (const dir of [launch.env.CODEX_HOME, launch.env.TMPDIR]) {
          if (dir) mkdirSync(dir, { recursive: true });
        }
      } catch (error) {
        await router.running.close();
        throw error;
      }
      const previousUsage =
        spec.resumeSessionId && existsSync(files.events)
          ? lastCodexThreadUsage(readFileSync(files.events, "utf8"), spec.resumeSessionId)
          : undefined;
      return {
        launch,
        router: router.running,
        translator: createCodexTranslator({
          ...(spec.model ? { model: spec.model } : {}),
          cwd: spec.cwd,
          resumed,
          ...(previousUsage ? { previousUsage } : {}),
        }),
      };
    }
  }
}

/**
 * A grove router for this run only: loopback, a free port, a random token; logs to router.log.
 * `adapt` adjusts the config (Codex's requests name a fixed slug, mapped to the task's model).
 */
async function startRunRouter(
  spec: RunnerSpec,
  files: RunFiles,
  adapt: (config: RouterConfig) => RouterConfig = (config) => config,
): Promise<{ running: RunningRouter; config: RouterConfig }> {
  const [{ agentRouterConfig }, { createRequestLog }, { serveRouter }, { createLogger }] = await Promise.all([
    import("../../agent/connect-model.js"),
    import("../../node/request-log.js"),
    import("../../node/serve-router.js"),
    import("../../router/log.js"),
  ]);
  const env = { ...agentBaseEnv(spec), GROVE_HOME: spec.groveHome };
  const config = adapt(agentRouterConfig(spec.model ?? "demo", env));
  const token = `grove-run-${randomBytes(24).toString("hex")}`;
  const routerLog = files.routerLog;
  const logger = createLogger(config.log.level, (line) => appendFileSync(routerLog, `${line}\n`));
  const sessionConfig: RouterConfig = {
    ...config,
    server: { ...config.server, host: "127.0.0.1", port: 0, tokens: [token] },
  };
  const onRequest = createRequestLog({
    home: spec.groveHome,
    config: sessionConfig,
    source: "task",
    taskId: Number(spec.taskId),
  });
  return {
    running: await serveRouter({ config: sessionConfig, logger, onRequest }),
    config: sessionConfig,
  };
}
