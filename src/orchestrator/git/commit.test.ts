import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSampleRepo } from "../../node/sample-repo.js";
import { commitAll } from "./commit.js";

let root: string;
let repo: string;
let runs = 0;
const saved = { global: process.env.GIT_CONFIG_GLOBAL, nosystem: process.env.GIT_CONFIG_NOSYSTEM };

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "grove-commit-test-"));
  // The developer's own ~/.gitconfig (user.name, signing, hooks) must not decide the author.
  const globalConfig = join(root, "gitconfig");
  writeFileSync(globalConfig, "");
  process.env.GIT_CONFIG_GLOBAL = globalConfig;
  process.env.GIT_CONFIG_NOSYSTEM = "1";
});

afterAll(() => {
  restore("GIT_CONFIG_GLOBAL", saved.global);
  restore("GIT_CONFIG_NOSYSTEM", saved.nosystem);
  rmSync(root, { recursive: true, force: true });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

beforeEach(async () => {
  runs += 1;
  repo = join(root, `repo-${runs}`);
  await createSampleRepo(repo);
});

const gitOut = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();

describe("commitAll", () => {
  it("commits new, changed and deleted files and returns the new sha", async () => {
    const before = gitOut("rev-parse", "HEAD");
    writeFileSync(join(repo, "src/greet.js"), "export const greet = (name = 'world') => 'Hello, ' + name;\n");
    writeFileSync(join(repo, "NEW.md"), "new\n");
    rmSync(join(repo, "README.md"));

    const sha = await commitAll(repo, "grove: task 1\n\nMake greet() greet the world");

    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(sha).toBe(gitOut("rev-parse", "HEAD"));
    expect(gitOut("rev-parse", "HEAD^")).toBe(before);
    expect(gitOut("log", "-1", "--format=%s%n%b")).toBe("grove: task 1\nMake greet() greet the world");
    expect(gitOut("show", "--name-status", "--format=", "HEAD").split("\n").sort()).toEqual([
      "A\tNEW.md",
      "D\tREADME.md",
      "M\tsrc/greet.js",
    ]);
    expect(gitOut("status", "--porcelain")).toBe("");
  });

  it("uses grove as author and committer when the repository has no user configured", async () => {
    writeFileSync(join(repo, "NEW.md"), "new\n");
    await commitAll(repo, "grove: anonymous");
    expect(gitOut("log", "-1", "--format=%an <%ae>|%cn <%ce>")).toBe(
      "grove <grove@localhost>|grove <grove@localhost>",
    );
  });

  it("uses the repository's configured user when there is one", async () => {
    gitOut("config", "user.name", "Ada Lovelace");
    gitOut("config", "user.email", "ada@example.com");
    writeFileSync(join(repo, "NEW.md"), "new\n");
    await commitAll(repo, "grove: configured");
    expect(gitOut("log", "-1", "--format=%an <%ae>|%cn <%ce>")).toBe(
      "Ada Lovelace <ada@example.com>|Ada Lovelace <ada@example.com>",
    );
  });

  it("returns undefined and makes no commit when the worktree is clean", async () => {
    const before = gitOut("rev-parse", "HEAD");
    expect(await commitAll(repo, "grove: nothing")).toBeUndefined();
    expect(gitOut("rev-parse", "HEAD")).toBe(before);
  });

  it("never commits ignored files", async () => {
    writeFileSync(join(repo, ".gitignore"), "*.log\nnode_modules/\n");
    gitOut("add", ".gitignore");
    gitOut("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "ignore logs");
    const before = gitOut("rev-parse", "HEAD");

    writeFileSync(join(repo, "debug.log"), "noise\n");
    expect(await commitAll(repo, "grove: only ignored files")).toBeUndefined();
    expect(gitOut("rev-parse", "HEAD")).toBe(before);

    writeFileSync(join(repo, "kept.txt"), "kept\n");
    const sha = await commitAll(repo, "grove: mixed");
    expect(sha).toBeDefined();
    expect(gitOut("show", "--name-only", "--format=", "HEAD")).toBe("kept.txt");
    expect(gitOut("ls-files", "debug.log")).toBe("");
  });

  it("commits even when a pre-commit hook would refuse", async () => {
    const hook = join(repo, ".git/hooks/pre-commit");
    writeFileSync(hook, "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    writeFileSync(join(repo, "NEW.md"), "new\n");
    expect(await commitAll(repo, "grove: hooked")).toMatch(/^[0-9a-f]{40}$/);
  });
});
