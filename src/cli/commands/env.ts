import { defineCommand } from "citty";
import { claudeEnvironment, routerClientUrl } from "../../node/claude-env.js";
import { CliError } from "../errors.js";
import { routerArgs, routerConfigFromFlags } from "./router-options.js";

export default defineCommand({
  meta: {
    name: "env",
    description: 'Print the environment that points Claude Code at the grove router: eval "$(grove env)"',
  },
  args: {
    ...routerArgs,
    shell: { type: "string", description: "posix (default), fish or json" },
  },
  run({ args }) {
    const config = routerConfigFromFlags(args);
    const variables = claudeEnvironment(routerClientUrl(config), config, process.env);
    const shell = args.shell ?? "posix";
    if (shell === "json") {
      process.stdout.write(`${JSON.stringify(variables, null, 2)}\n`);
      return;
    }
    if (shell !== "posix" && shell !== "fish")
      throw new CliError(`--shell must be posix, fish or json (got "${shell}")`);
    for (const [name, value] of Object.entries(variables)) {
      const quoted = `'${value.replaceAll("'", "'\\''")}'`;
      process.stdout.write(shell === "fish" ? `set -gx ${name} ${quoted}\n` : `export ${name}=${quoted}\n`);
    }
  },
});
