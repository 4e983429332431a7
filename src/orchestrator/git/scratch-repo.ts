/** Throwaway git repositories for tests: `git init -b main` in a temp dir, with a local identity. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { git } from "../../node/git-exec.js";
import { createWorktree } from "./worktree.js";

export interface ScratchRepo {
  /** A temp directory holding the repository (`repo`) and room for worktrees beside it. */
  root: string;
  /** The main worktree, on `main`, with one commit (README.md). */
  repo: string;
  write(dir: string, file: string, content: string): void;
  /** Writes the file, stages everything and commits; returns the new commit id. */
  commit(dir: string, file: string, content: string, message?: string): Promise<string>;
  head(dir: string, rev?: string): Promise<string>;
  /** A worktree at `<root>/trees/<id>` on a new branch `grove/<id>` from main, with one commit per file. */
  task(id: string, files: Record<string, string>): Promise<string>;
  remove(): void;
}

export async function createScratchRepo(): Promise<ScratchRepo> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "grove-git-")));
  const repo = join(root, "repo");
  mkdirSync(repo);
  await git(repo, ["init", "-q", "-b", "main"]);
  for (const [key, value] of [
    ["user.name", "grove test"],
    ["user.email", "test@grove.invalid"],
    ["commit.gpgsign", "false"],
    ["tag.gpgsign", "false"],
    ["core.autocrlf", "false"],
  ] as const)
    await git(repo, ["config", key, value]);
  const write = (dir: string, file: string, content: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  };
  const head = async (dir: string, rev = "HEAD") => (await git(dir, ["rev-parse", rev])).trim();
  const commit = async (dir: string, file: string, content: string, message = `edit ${file}`) => {
    write(dir, file, content);
    await git(dir, ["add", "-A"]);
    await git(dir, ["commit", "-q", "-m", message]);
    return head(dir);
  };
  const task = async (id: string, files: Record<string, string>) => {
    const path = join(root, "trees", id);
    await createWorktree({ repo, path, branch: `grove/${id}`, base: "main" });
    for (const [file, content] of Object.entries(files)) await commit(path, file, content, `${id}: ${file}`);
    return path;
  };
  await commit(repo, "README.md", "# scratch\n", "initial");
  const remove = () => rmSync(root, { recursive: true, force: true });
  return { root, repo, write, commit, head, task, remove };
}
