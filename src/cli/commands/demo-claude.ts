import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../../node/git-exec.js";
import { findExecutable } from "../../node/paths.js";
import { quickRouterConfig } from "../../node/router-config-file.js";
import { serveRouter } from "../../node/serve-router.js";
import { createLogger } from "../../router/log.js";
import { CliError } from "../errors.js";

/** `grove demo --claude`: the real Claude Code on grove's scripted model, through the grove router. */
export async function runClaudeDemo(): Promise<void> {
  {
    const root = mkdtempSync(join(tmpdir(), "grove-demo-"));
    const repo = join(root, "repo");
    const home = join(root, "home");
    mkdirSync(repo);
    mkdirSync(home);
    writeFileSync(join(repo, "README.md"), "# sample project\n");
    await git(repo, ["init", "-q", "-b", "main"]);
    await git(repo, ["add", "."]);
    await git(repo, [
      "-c",
      "user.name=grove demo",
      "-c",
      "user.email=demo@grove.invalid",
      "commit",
      "-qm",
      "sample project",
    ]);
    say(`sample repository: ${repo}`);

    const lines: string[] = [];
    const config = quickRouterConfig({
      upstream: "demo",
      host: "127.0.0.1",
      port: 0,
      tokens: [],
      logLevel: "info",
    });
    const router = await serveRouter({ config, logger: createLogger("info", (line) => lines.push(line)) });
    say(`grove router on ${router.url}, serving the scripted demo model`);
    try {
      const claude = process.env.GROVE_CLAUDE_BIN || findExecutable("claude");
      if (!claude)
        throw new CliError("Claude Code is not installed: npm install -g @anthropic-ai/claude-code@2.1.197");
      say('running Claude Code through the router: claude -p "Leave a note for the grove demo"');
      const code = await runClaude(claude, repo, home, router.url);
      for (const line of lines) say(`router: ${line.replace(/^\S+ info\s+/, "")}`);
      if (code !== 0) throw new CliError(`Claude Code exited with code ${code}`);
      const note = readFileSync(join(repo, "GROVE_DEMO.md"), "utf8");
      say(`Claude Code wrote ${join(repo, "GROVE_DEMO.md")}:\n\n${note.replace(/^/gm, "    ")}`);
      say(
        "Next: point the router at a real model, e.g. npx grove router --upstream http://127.0.0.1:11434/v1 --model qwen3-coder",
      );
    } finally {
      await router.close();
    }
  }
}

function say(message: string): void {
  process.stdout.write(`grove demo · ${message}\n`);
}

async function runClaude(claude: string, cwd: string, home: string, baseUrl: string): Promise<number> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, TMPDIR: process.env.TMPDIR };
  Object.assign(env, {
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "grove-demo",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  });
  const args = ["-p", "Leave a note for the grove demo", "--output-format", "stream-json", "--verbose"];
  args.push("--permission-mode", "acceptEdits");
  const child = spawn(claude, args, { cwd, env, stdio: ["ignore", "pipe", "inherit"] });
  let buffer = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (data: string) => {
    buffer += data;
    let newline = buffer.indexOf("\n");
    while (newline !== -1) {
      describeEvent(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
    }
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code ?? 1));
  });
}

/** Shows Claude Code's stream-json events as one line each. */
function describeEvent(line: string): void {
  let event: {
    type?: string;
    message?: { content?: { type: string; text?: string; name?: string; input?: { file_path?: string } }[] };
    result?: string;
  };
  try {
    event = JSON.parse(line);
  } catch {
    return;
  }
  if (event.type === "assistant") {
    for (const block of event.message?.content ?? []) {
      if (block.type === "text" && block.text) say(`claude: ${block.text}`);
      if (block.type === "tool_use") say(`claude: tool ${block.name} ${block.input?.file_path ?? ""}`);
    }
  }
}
