import { defineCommand } from "citty";
import { serveRouter } from "../../node/serve-router.js";
import { createLogger } from "../../router/log.js";
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
  },
  async run({ args }) {
    const config = routerConfigFromFlags(args);
    const logger = createLogger(config.log.level, (line) => process.stderr.write(`${line}\n`));
    const router = await serveRouter({ config, logger, insecureNoAuth: args["insecure-no-auth"] });
    process.stdout.write(`grove router listening on ${router.url}\n`);
    const stop = () => {
      void router.close().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  },
});
