/**
 * The single-run lanes: an explain task runs read-only, changes nothing and keeps its answer as
 * notes; a research task keeps its spike on the branch and its notes file. Both are archived,
 * not queued for landing. One sandbox (and daemon) serves both.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptReply } from "../../src/router/script/script-schema.js";
import {
  disposeAll,
  eventsOf,
  git,
  groveOk,
  makeSandbox,
  type Sandbox,
  taskEvents,
} from "../orchestrator/harness.js";
import {
  artifact,
  artifactNames,
  branchCommits,
  grep,
  pipelineRepo,
  pipelineView,
  read,
  reply,
  runsOf,
  settle,
  step,
  useRoleScripts,
  write,
} from "./pipeline-harness.js";

const EXPLANATION = `greet(name) lives in src/greet.js:1. It returns "Hello, " + name + "!" (line 2): plain string concatenation, no default for a missing name, so greet() returns "Hello, undefined!".

test/greet.test.js checks only greet("Ada").`;

const NOTES = `# Could farewell() speak French?

Question: can a table of farewells per language replace one hard-coded string?
Tried: spike/farewell-i18n.js, a table with en and fr.
Worked: a lookup by language code, with English as the fallback.
Next: decide how callers pass the language.
`;

const RESEARCH_PATH = "{{user:(docs/research/\\S+\\.md)}}";

const architect: ScriptReply[] = [
  // A model that writes whenever it has the tool: an explain run must not offer it.
  {
    when: step("explain", { hasTool: "write" }),
    text: "Saving my explanation next to the code.",
    toolCalls: [write("EXPLAINED.md", EXPLANATION)],
  },
  reply(step("explain", { turn: 0 }), {
    text: "Reading greet() and its test.",
    toolCalls: [read("src/greet.js"), grep("greet", "test")],
  }),
  reply(step("explain", { turn: 1 }), { text: EXPLANATION }),
  reply(step("research", { turn: 0 }), {
    text: "Trying a table of farewells.",
    toolCalls: [
      write("spike/farewell-i18n.js", 'export const FAREWELLS = { en: "Goodbye", fr: "Au revoir" };\n'),
      write(RESEARCH_PATH, NOTES),
    ],
  }),
  reply(step("research", { turn: 1 }), { text: "A lookup table works; the notes say what to decide next." }),
];

let sandbox: Sandbox;
let repo: string;

beforeAll(async () => {
  sandbox = makeSandbox("grove-lanes-");
  repo = await pipelineRepo(sandbox);
  useRoleScripts(sandbox, { architect, implementer: [], reviewer: [] });
});

afterAll(disposeAll);

describe("the explain lane", () => {
  it("answers read-only: no file changes, the branch stays at its base, the answer is the notes", async () => {
    const out = await groveOk(
      sandbox,
      ["run", "--kind", "explain", "--model", "arch/m", "Explain how greet() builds its greeting"],
      { cwd: repo },
    );
    const id = Number(out.trim());
    const task = await settle(sandbox, id, "archived");

    const [run, ...more] = runsOf(task);
    expect(more).toEqual([]);
    expect(run).toMatchObject({ step: "explain", model: "arch/m", readOnly: true });
    expect(run!.prompt).toContain("Explain how greet() builds its greeting");

    // Nothing changed: no file, no commit, the branch still at its base.
    expect(existsSync(join(task.worktree, "EXPLAINED.md"))).toBe(false);
    expect(git(task.worktree, ["status", "--porcelain"])).toBe("");
    expect(git(repo, ["rev-parse", task.branch])).toBe(task.baseCommit);
    expect(branchCommits(repo, task)).toEqual([]);

    // The answer is the notes document, on disk and in the log; there is no pipeline.
    expect(artifactNames(task)).toEqual(["notes.md"]);
    expect(artifact(task, "notes.md")).toBe(`${EXPLANATION}\n`);
    const events = await taskEvents(sandbox, id);
    expect(eventsOf(events, "pipeline_artifact").map((event) => event.body.text)).toEqual([EXPLANATION]);
    expect(eventsOf(events, "pipeline_step")).toEqual([]);
    expect(await pipelineView(sandbox, id)).toMatchObject({ pipeline: null, inbox: [] });
    expect(task.summary).toBe(EXPLANATION);
  }, 60_000);
});

describe("the research lane", () => {
  it("keeps the spike on its branch and its notes file as the notes, archived", async () => {
    const out = await groveOk(
      sandbox,
      ["run", "--kind", "research", "--model", "arch/m", "Spike: could farewell() speak French?"],
      { cwd: repo },
    );
    const task = await settle(sandbox, Number(out.trim()), "archived");
    const [run] = runsOf(task);
    expect(run).toMatchObject({ step: "research", model: "arch/m" });
    expect(run!.readOnly).toBeUndefined();
    const notesPath = /(docs\/research\/\S+\.md)/.exec(run!.prompt)![1]!;
    expect(notesPath).toMatch(/^docs\/research\/\d{4}-\d{2}-\d{2}-spike-could-farewell[\w-]*\.md$/);

    const commits = branchCommits(repo, task);
    expect(commits.map((commit) => commit.files)).toEqual([[notesPath, "spike/farewell-i18n.js"].sort()]);
    expect(git(repo, ["show", `${task.branch}:${notesPath}`])).toBe(NOTES.trimEnd());
    expect(artifact(task, "notes.md")).toBe(NOTES);
    expect(git(repo, ["rev-parse", "main"])).toBe(task.baseCommit);
  }, 60_000);
});
