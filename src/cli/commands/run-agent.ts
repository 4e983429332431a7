import { defineCommand } from "citty";
import { runAgentWrapper } from "../../orchestrator/runner/run-agent.js";

/** Internal: the detached wrapper the daemon starts for each agent run. */
export default defineCommand({
  meta: {
    name: "_run-agent",
    description: "(internal) Run one agent run from a spec file, for the grove daemon",
    hidden: true,
  },
  args: {
    spec: { type: "positional", required: true, description: "Path of the run's spec-<n>.json" },
  },
  async run({ args }) {
    const code = await runAgentWrapper(args.spec);
    // Nothing may keep the wrapper alive once the run is recorded.
    process.exit(code);
  },
});
