/** The small repository that `grove demo` and the tests hand to agents. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { git } from "./git-exec.js";

export const SAMPLE_FILES: Record<string, string> = {
  "package.json": `${JSON.stringify({ name: "greeter", version: "1.0.0", type: "module", scripts: { test: "node --test" } }, null, 2)}\n`,
  "README.md": "# greeter\n\nA tiny library that greets people. Run the tests with `npm test`.\n",
  ".grove/config.json": `${JSON.stringify({ test: "node --test", concurrency: 3 }, null, 2)}\n`,
  "src/greet.js": 'export function greet(name) {\n  return "Hello, " + name + "!";\n}\n',
  "test/greet.test.js":
    'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { greet } from "../src/greet.js";\n\ntest("greets by name", () => {\n  assert.equal(greet("Ada"), "Hello, Ada!");\n});\n',
};

export const SAMPLE_AUTHOR = ["-c", "user.name=grove demo", "-c", "user.email=demo@grove.invalid"];

/** Writes the sample project into `dir` (created if needed) as a git repository with one commit on main. */
export async function createSampleRepo(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(SAMPLE_FILES)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  await git(dir, ["init", "-q", "-b", "main"]);
  await git(dir, ["add", "."]);
  await git(dir, [...SAMPLE_AUTHOR, "commit", "-qm", "greeter: first version"]);
}
