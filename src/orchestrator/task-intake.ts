/**
 * A new task, from request to stored record: its repository (the top level of the directory it
 * was asked for in), its lane's default agent and model from the repository's config, its base
 * branch, and a branch name no other task of that repository has or has reserved.
 */
import { join } from "node:path";
import { KeyedQueue } from "../node/keyed-queue.js";
import { slugify, uniqueBranchName } from "./git/branch-name.js";
import { currentBranch, findRepoRoot } from "./git/repo.js";
import { loadRepoConfig } from "./repo-config.js";
import { TaskError } from "./task-error.js";
import type { AgentName, TaskKind } from "./task-states.js";
import type { Task, TaskStore } from "./task-store.js";

export interface NewTaskInput {
  cwd: string;
  prompt: string;
  agent?: AgentName;
  model?: string;
  kind?: TaskKind;
  base?: string;
  name?: string;
  yolo?: boolean;
  /** Feature lane: the architect decides instead of asking, and the spec needs no approval. */
  auto?: boolean;
}

/**
 * How long a directory's repository root is remembered: a burst of tasks started from one
 * directory asks git once, and a moved repository is noticed a moment later.
 */
const REPO_ROOT_TTL_MS = 2_000;

export class TaskIntake {
  /** Choosing a branch name and recording the task, one task at a time per repository. */
  private readonly naming = new KeyedQueue();
  private readonly repoRoots = new Map<string, { root: Promise<string>; until: number }>();

  constructor(
    private readonly store: TaskStore,
    /** GROVE_HOME: tasks' directories and worktrees go under it. */
    private readonly home: string,
  ) {}

  /** Stores the task, `queued`; bad input is a TaskError. */
  async create(input: NewTaskInput): Promise<Task> {
    if (input.prompt.trim() === "") throw new TaskError("the prompt is empty");
    const repo = await this.repoRoot(input.cwd).catch((error: Error) => {
      throw new TaskError(error.message);
    });
    const config = await loadRepoConfig(repo).catch((error: Error) => {
      throw new TaskError(error.message);
    });
    const kind = input.kind ?? "maintenance";
    const choice = { ...config.defaults.default, ...config.defaults[kind] };
    const base = input.base ?? (await currentBranchOrThrow(repo));
    // One task at a time per repository from here until it is stored, so that tasks created at
    // the same moment never pick the same free name.
    const created = await this.naming.run(repo, async () => {
      // Queued tasks have no git branch yet: their names are reserved here, not in git.
      const reserved = new Set(
        this.store
          .list(["queued", "setting-up"])
          .filter((task) => task.repo === repo)
          .map((task) => task.branch),
      );
      const branch = await uniqueBranchName(repo, slugify(input.name ?? input.prompt), reserved);
      return this.store.create({
        slug: branch.replace(/^grove\//, ""),
        branch,
        repo,
        baseBranch: base,
        worktree: "",
        taskDir: "",
        prompt: input.prompt,
        kind,
        agent: input.agent ?? choice.agent ?? "builtin",
        model: input.model ?? choice.model ?? null,
        yolo: input.yolo ?? false,
      });
    });
    return this.store.update(created.id, {
      taskDir: join(this.home, "tasks", String(created.id)),
      worktree: join(this.home, "worktrees", String(created.id)),
    });
  }

  /** The top level of the repository `cwd` is in (see REPO_ROOT_TTL_MS). */
  private repoRoot(cwd: string): Promise<string> {
    const now = Date.now();
    for (const [dir, known] of this.repoRoots) if (known.until <= now) this.repoRoots.delete(dir);
    const known = this.repoRoots.get(cwd);
    if (known) return known.root;
    const root = findRepoRoot(cwd);
    this.repoRoots.set(cwd, { root, until: now + REPO_ROOT_TTL_MS });
    // Failures are not remembered: the next task asks again.
    root.catch(() => {
      if (this.repoRoots.get(cwd)?.root === root) this.repoRoots.delete(cwd);
    });
    return root;
  }
}

async function currentBranchOrThrow(repo: string): Promise<string> {
  const branch = await currentBranch(repo);
  if (!branch) throw new TaskError(`${repo} has no branch checked out (detached HEAD): pass --base BRANCH`);
  return branch;
}
