import { defineCommand } from "citty";
import { type CassetteRecorder, createCassetteRecorder } from "../../node/cassette-recorder.js";
import { groveHome } from "../../node/paths.js";
import { createRequestLog } from "../../node/request-log.js";
import { serveRouter } from "../../node/serve-router.js";
import { createLogger } from "../../router/log.js";
import { CliError } from "../errors.js";
import { routerArgs, routerConfigFromFlags } from "./router-options.js";

export default defineCommand({
  meta: {
    name: "router",
    description:
      "Serve the Anthropic Messages API on top of OpenAI-compatible backends (OpenRouter, OpenAI, Ollama, vLLM, …)",
  },
  args: {
    ...routerArgs,
    "insecure-no-auth": {
      type: "boolean",
      description: "Allow a non-loopback bind without tokens (trusted networks only)",
    },
    "request-log": {
      type: "boolean",
      default: true,
      description: "Log each request to GROVE_HOME for the dashboard's Router view (--no-request-log: off)",
    },
    record: {
      type: "string",
      description: "Record every upstream exchange to a cassette in this directory (for replay providers)",
    },
  },
  async run({ args }) {
    const config = routerConfigFromFlags(args);
    const logger = createLogger(config.log.level, (line) => process.stderr.write(`${line}\n`));
    const recorder = args.record === undefined ? undefined : openCassette(args.record);
    if (recorder) process.stderr.write(`grove router recording to ${recorder.path}\n`);
    const onRequest = args["request-log"]
      ? createRequestLog({ home: groveHome(), config, source: "router" })
      : undefined;
    const router = await serveRouter({
      config,
      logger,
      recorder,
      insecureNoAuth: args["insecure-no-auth"],
      ...(onRequest ? { onRequest } : {}),
    });
    const stop = () => {
      void router.close().then(() => process.exit(0));
    };
    // Before the listening line: whoever waits for it may signal at once.
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    process.stdout.write(`grove router listening on ${router.url}\n`);
  },
});

function openCassette(dir: string): CassetteRecorder {
  if (dir.trim() === "") throw new CliError("--record needs a directory");
  try {
    return createCassetteRecorder(dir);
  } catch (error) {
    throw new CliError(`--record: cannot write a cassette in ${dir}: ${(error as Error).message}`);
  }
}
