#!/usr/bin/env node
import { defineCommand, runMain } from "citty";
import { ConfigError } from "../router/config/resolve-config.js";
import { RouterError } from "../router/errors.js";
import { CliError } from "./errors.js";

const main = defineCommand({
  meta: {
    name: "grove",
    version: "0.1.0",
    description: "Parallel coding agents on any model, with one landing queue.",
  },
  subCommands: {
    router: () => import("./commands/router.js").then((m) => m.default),
    claude: () => import("./commands/claude.js").then((m) => m.default),
    env: () => import("./commands/env.js").then((m) => m.default),
    demo: () => import("./commands/demo.js").then((m) => m.default),
  },
});

process.on("uncaughtException", reportAndExit);
runMain(main).catch(reportAndExit);

function reportAndExit(error: unknown): never {
  if (error instanceof CliError || error instanceof ConfigError || error instanceof RouterError) {
    process.stderr.write(`grove: ${error.message}\n`);
    process.exit(error instanceof CliError ? error.exitCode : 1);
  }
  process.stderr.write(
    `grove: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
