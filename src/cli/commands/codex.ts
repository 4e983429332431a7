import { spawn } from "node:child_process";
import { constants } from "node:os";
import { defineCommand } from "citty";
import { CODEX_KEY_VARIABLE, codexProviderArgs, DEFAULT_CODEX_MODEL } from "../../node/codex-env.js";
import { findExecutable } from "../../node/paths.js";
import { CliError } from "../errors.js";
import { sessionRouter } from "../session-router.js";
import { routerConfigFromFlags } from "./router-options.js";

export default defineCommand({
  meta: {
    name: "codex",
    description:
      "Run Codex CLI through the grove router (reusing a running one, or starting one for this session)",
  },
  async run({ rawArgs }) {
    const codex = process.env.GROVE_CODEX_BIN || findExecutable("codex");
    if (!codex) throw new CliError("Codex CLI is not installed: npm install -g @openai/codex@0.171.0");
    const config = routerConfigFromFlags({});
    const router = await sessionRouter(config);
    const baseUrl = router.url;
    const key = config.server.tokens[0] ?? process.env.OPENAI_API_KEY ?? "grove-local";
    const child = spawn(codex, codexArguments(baseUrl, rawArgs), {
      stdio: "inherit",
      env: { ...process.env, [CODEX_KEY_VARIABLE]: key },
    });
    const code = await new Promise<number>((resolve, reject) => {
      child.once("error", (error) => reject(new CliError(`could not start ${codex}: ${error.message}`)));
      child.once("exit", (exitCode, signal) =>
        resolve(exitCode ?? 128 + (signal ? (constants.signals[signal] ?? 15) : 0)),
      );
    });
    await router.close();
    process.exit(code);
  },
});

/** Subcommands that run a model and take the model options after their name. */
const MODEL_SUBCOMMANDS = new Set(["exec", "e", "review"]);

/** Codex's top-level options that take a value, so their value is not mistaken for a subcommand. */
const VALUE_OPTIONS = new Set([
  "-c",
  "--config",
  "--enable",
  "--disable",
  "--remote",
  "--remote-auth-token-env",
  "-i",
  "--image",
  "-m",
  "--model",
  "--local-provider",
  "-p",
  "--profile",
  "-s",
  "--sandbox",
  "-C",
  "--cd",
  "--add-dir",
  "-a",
  "--ask-for-approval",
]);

/**
 * The user's arguments plus a `grove` model provider pointing at the router (Codex only takes
 * custom providers over the Responses API), no plugins or analytics (both call home), and
 * `-m gpt-5.5` unless the user chose a model: a known slug keeps Codex's classic tool set.
 * The options go after `exec`/`review`, before anything else, or (for other subcommands)
 * only the global config overrides.
 */
export function codexArguments(routerUrl: string, userArgs: readonly string[]): string[] {
  const overrides = codexProviderArgs(routerUrl);
  const model = choosesModel(userArgs) ? [] : ["-m", DEFAULT_CODEX_MODEL];
  const at = subcommandIndex(userArgs);
  if (at === -1) return [...overrides, ...model, ...userArgs];
  const subcommand = userArgs[at]!;
  if (!MODEL_SUBCOMMANDS.has(subcommand)) return [...overrides, ...userArgs];
  return [...userArgs.slice(0, at + 1), ...overrides, ...model, ...userArgs.slice(at + 1)];
}

function choosesModel(args: readonly string[]): boolean {
  return args.some(
    (arg, i) =>
      arg === "-m" ||
      arg === "--model" ||
      arg.startsWith("--model=") ||
      (arg.startsWith("-m") && !arg.startsWith("--") && arg.length > 2) ||
      ((args[i - 1] === "-c" || args[i - 1] === "--config") && /^model\s*=/.test(arg)),
  );
}

/** Where a Codex subcommand is in `args`, or -1 when the arguments are a prompt and options. */
function subcommandIndex(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return -1;
    if (arg.startsWith("-")) {
      if (VALUE_OPTIONS.has(arg)) i += 1;
      continue;
    }
    return KNOWN_SUBCOMMANDS.has(arg) ? i : -1;
  }
  return -1;
}

const KNOWN_SUBCOMMANDS = new Set([
  "agents",
  "exec",
  "e",
  "review",
  "login",
  "logout",
  "mcp",
  "plugin",
  "app-server",
  "remote-control",
  "completion",
  "update",
  "doctor",
  "sandbox",
  "debug",
  "apply",
  "a",
  "resume",
  "queue",
  "archive",
  "delete",
  "migrate-rollouts",
  "migrate-nfs-db",
  "unarchive",
  "fork",
  "cloud",
  "exec-server",
  "features",
  "help",
]);
