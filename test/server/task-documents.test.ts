/** A task's documents from a real git repository: the Markdown its branch wrote, and its task directory's. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Task } from "../../src/orchestrator/task-store.js";
import { taskDocuments } from "../../src/server/task-documents.js";

let root: string;
let repo: string;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
const write = (path: string, content: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), content);
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "grove-docs-"));
  repo = join(root, "repo");
  mkdirSync(repo);
  git("init", "-q", "-b", "main");
  git("config", "user.name", "t");
  git("config", "user.email", "t@grove.invalid");
  git("config", "commit.gpgsign", "false");
  write("README.md", "# Readme\n");
  write("docs/old.md", "old\n");
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "grove/docs");
  write("docs/plans/2026-01-01-x-design.md", "# Design\n");
  write("notes/findings.markdown", "Findings\n");
  write("src/code.js", "export {};\n");
  write("README.md", "# Readme\n\nMore.\n");
  git("rm", "-q", "docs/old.md");
  git("add", "-A");
  git("commit", "-qm", "work");
  git("checkout", "-q", "main");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const task = (overrides: Partial<Task>): Task =>
  ({
    id: 1,
    repo,
    branch: "grove/docs",
    baseBranch: "main",
    baseCommit: null,
    state: "done",
    archiveRef: null,
    taskDir: join(root, "task-1"),
    ...overrides,
  }) as Task;

it("lists the Markdown files the branch added or changed, as of its tip, and the task directory's", async () => {
  mkdirSync(join(root, "task-1"), { recursive: true });
  writeFileSync(join(root, "task-1", "triage.md"), "# Triage\n");
  writeFileSync(join(root, "task-1", "events.jsonl"), "{}\n");
  const documents = await taskDocuments(task({}));
  expect(documents.map((document) => [document.source, document.path, document.content])).toEqual([
    ["branch", "README.md", "# Readme\n\nMore.\n"],
    ["branch", "docs/plans/2026-01-01-x-design.md", "# Design\n"],
    ["branch", "notes/findings.markdown", "Findings\n"],
    ["task", "triage.md", "# Triage\n"],
  ]);
});

it("reads a discarded task's documents from its archive ref, and none when nothing is left", async () => {
  git("update-ref", "refs/grove/archive/1", "grove/docs");
  const archived = await taskDocuments(
    task({
      branch: "grove/gone",
      archiveRef: "refs/grove/archive/1",
      state: "discarded",
      taskDir: join(root, "none"),
    }),
  );
  expect(archived.map((document) => document.path)).toContain("docs/plans/2026-01-01-x-design.md");
  expect(await taskDocuments(task({ branch: "grove/gone", taskDir: join(root, "none") }))).toEqual([]);
});

it("lists the pipeline's Markdown under pipeline/, in the order the pipeline writes it", async () => {
  const dir = join(root, "task-2", "pipeline");
  mkdirSync(dir, { recursive: true });
  for (const name of [
    "ledger.md",
    "chunk-10-review-1.md",
    "plan.md",
    "chunk-2-review-1.md",
    "design.md",
    "final-review-1.md",
    "spec.md",
    "chunk-1-report-1.md",
    "verify-1.log",
  ])
    writeFileSync(join(dir, name), `# ${name}\n`);
  const documents = await taskDocuments(task({ taskDir: join(root, "task-2") }));
  expect(documents.filter((document) => document.source === "task").map((document) => document.path)).toEqual(
    [
      "pipeline/design.md",
      "pipeline/spec.md",
      "pipeline/plan.md",
      "pipeline/chunk-1-report-1.md",
      "pipeline/chunk-2-review-1.md",
      "pipeline/chunk-10-review-1.md",
      "pipeline/final-review-1.md",
      "pipeline/ledger.md",
    ],
  );
});
