/**
 * The feature pipeline end to end, with a separate scripted model per role: a brainstorm question
 * answered with `grove answer`, the spec gate sent back once with `grove revise` and then approved
 * with `grove approve`, a plan that passes the plan check, two chunks (chunkSize 1) with one
 * CHANGES_REQUESTED round that the implementer fixes, the final review, `node --test`, and the
 * task done. Also: the architect's resumed session must not be told it is read-only when it writes.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  disposeAll,
  eventsOf,
  git,
  grove,
  groveOk,
  makeSandbox,
  taskEvents,
} from "../orchestrator/harness.js";
import {
  ANSWER,
  DESIGN,
  featureScripts,
  IDEA,
  IMPORTANT_FINDING,
  MINOR_FINDING,
  PLAN,
  QUESTION,
  SPEC,
  SPEC_REVISED,
  SPEC_REVISION,
  T1,
  T2,
} from "./feature-scripts.js";
import {
  ARCHITECT_PRICE,
  artifact,
  artifactNames,
  branchCommits,
  IMPLEMENTER_PRICE,
  inboxJson,
  pipelineRepo,
  pipelineView,
  ROLE_MODELS,
  runsOf,
  settle,
  startPlan,
  stepTrail,
  useRoleScripts,
  waitForPipeline,
} from "./pipeline-harness.js";

afterEach(disposeAll);

describe("the feature pipeline", () => {
  it("goes from an idea to reviewed commits, asking the user once and gating the spec", async () => {
    const sandbox = makeSandbox("grove-feature-");
    const repo = await pipelineRepo(sandbox, { chunkSize: 1 });
    useRoleScripts(sandbox, featureScripts({ question: true, chunk1Review: "once" }));
    // Brainstorm: the architect's question waits in the inbox (and `grove plan --wait` says so).
    const planned = await grove(sandbox, ["plan", "--wait", IDEA], { cwd: repo, timeoutMs: 90_000 });
    expect(planned.code, `${planned.stdout}\n${planned.stderr}`).toBe(2);
    const id = Number(planned.stdout.split("\n")[0]);
    expect(planned.stdout).toMatch(new RegExp(`^task ${id}: waiting-for-input$`, "m"));
    await settle(sandbox, id, "waiting-for-input");
    const listing = await groveOk(sandbox, ["inbox"]);
    expect(listing).toContain(`#1  question · task ${id} grove/`);
    expect(listing).toContain("What should farewell() say when it gets no name?");
    const [question, ...others] = await inboxJson(sandbox);
    expect(others).toEqual([]);
    expect(question).toMatchObject({ taskId: id, kind: "question", stage: "question", text: QUESTION });
    expect(listing).toContain(`grove answer ${question!.id} "…"`);
    expect(await groveOk(sandbox, ["answer", String(question!.id), ANSWER])).toBe(
      `#${question!.id} answered: task ${id} goes on\n`,
    );

    // Spec: written and committed on the branch, then gated; the user asks for a revision first.
    const atGate = await waitForPipeline(
      sandbox,
      id,
      (view, task) => view.pipeline?.gate?.about === "spec" && task.state === "waiting-for-input",
      "the spec gate",
    );
    const { specPath, planPath } = atGate.pipeline!;
    expect(specPath).toMatch(/^docs\/plans\/\d{4}-\d{2}-\d{2}-add-farewell[\w-]*-design\.md$/);
    expect(planPath).toBe(specPath!.replace(/-design\.md$/, "-plan.md"));
    const [gate] = await inboxJson(sandbox);
    expect(gate).toMatchObject({ taskId: id, kind: "gate", stage: "spec" });
    expect(gate!.text).toContain(`Spec "Farewells" is written to ${specPath}`);
    expect(gate!.text).toContain("requirements R1, R2");
    expect(git(repo, ["show", `${gate!.task!.branch}:${specPath}`])).toBe(SPEC.trimEnd());
    expect(await groveOk(sandbox, ["revise", String(gate!.id), SPEC_REVISION])).toBe(
      `#${gate!.id} revised: task ${id} goes on\n`,
    );
    await waitForPipeline(
      sandbox,
      id,
      (view, task) => task.state === "waiting-for-input" && view.pipeline?.gate?.item !== gate!.id,
      "the revised spec's gate",
    );
    const [revisedGate] = await inboxJson(sandbox);
    expect(revisedGate).toMatchObject({ kind: "gate", stage: "spec" });
    expect(await groveOk(sandbox, ["approve", String(revisedGate!.id)])).toBe(
      `#${revisedGate!.id} approved: task ${id} goes on\n`,
    );

    const task = await settle(sandbox, id, "done");
    const events = await taskEvents(sandbox, id);
    expect(stepTrail(events)).toEqual([
      "brainstorm",
      "brainstorm",
      "spec",
      "spec",
      "plan",
      "implement 1/2",
      "review 1/2 r1",
      "fix 1/2 r1",
      "review 1/2 r2",
      "implement 2/2",
      "review 2/2 r1",
      "final-review",
      "verify",
      "ready",
    ]);
    expect(eventsOf(events, "plan_checked").map((event) => event.body.problems)).toEqual([[]]);
    expect(
      eventsOf(events, "review_finished").map((event) => [event.body.verdict, event.body.final ?? false]),
    ).toEqual([
      ["CHANGES_REQUESTED", false],
      ["APPROVED", false],
      ["APPROVED", false],
      ["APPROVED", true],
    ]);
    expect(eventsOf(events, "verify_finished").map((event) => event.body.exitCode)).toEqual([0]);

    // Each run: its role's model, read-only where it only judges, the architect's session
    // carried from brainstorm to plan, a fresh implementer per chunk, a fresh reviewer per review.
    const runs = runsOf(task);
    const { architect: arch, implementer: impl, reviewer: rev } = ROLE_MODELS;
    expect(
      runs.map((run) => [run.step, run.model, run.readOnly ?? false, run.resumeSessionId !== undefined]),
    ).toEqual([
      ["brainstorm", arch, true, false],
      ["brainstorm", arch, true, true],
      ["spec", arch, false, true],
      ["spec", arch, false, true],
      ["plan", arch, false, true],
      ["implement", impl, false, false],
      ["review", rev, true, false],
      ["fix", impl, false, true],
      ["review", rev, true, false],
      ["implement", impl, false, false],
      ["review", rev, true, false],
      ["final-review", rev, true, false],
    ]);
    const [, answered, spec, specRevise, plan, implement1, review1, fix, , implement2, , finalReview] = runs;
    const { pipeline, costs, inbox } = await pipelineView(sandbox, id);
    const architectSession = answered!.resumeSessionId;
    expect([spec, specRevise, plan].map((run) => run!.resumeSessionId)).toEqual(
      Array(3).fill(architectSession),
    );
    expect(pipeline!.sessions.architect).toBe(architectSession);
    expect(fix!.resumeSessionId).not.toBe(architectSession);

    // What each step was told: the user's answer and revision, the paths, the chunk's own task.
    expect(answered!.prompt).toContain(`The user answered your question: ${ANSWER}`);
    expect(spec!.prompt).toContain(`Write the design document for the recommended approach to ${specPath}`);
    expect(specRevise!.prompt).toContain(`revisions to the spec at ${specPath}:\n\n${SPEC_REVISION}\n`);
    expect(plan!.prompt).toContain(`for the spec at ${specPath} to ${planPath}`);
    expect(implement1!.prompt).toContain(T1);
    expect(implement1!.prompt).not.toContain(T2);
    expect(review1!.prompt).toContain("+export function farewell(name) {");
    expect(implement2!.prompt).toContain(T2);
    expect(implement2!.prompt).not.toContain(T1);
    // The reviewer's findings reached the implementer verbatim; the minor one reached the final review.
    expect(fix!.prompt).toContain(`requests these changes (verbatim):\n\n${IMPORTANT_FINDING}\n`);
    expect(finalReview!.prompt).toContain(
      `Minor findings noted during the chunk reviews:\n\n${MINOR_FINDING}\n`,
    );
    expect(finalReview!.prompt).toContain('+export function farewell(name = "friend") {');

    // The branch: the spec, its revision and the plan, then one commit per chunk run, the fix between.
    const commits = branchCommits(repo, task);
    expect(commits.map((commit) => [commit.subject, commit.files])).toEqual([
      [`Design: ${IDEA}`, [specPath]],
      [`Design: ${IDEA}`, [specPath]],
      [`Plan: ${IDEA}`, [planPath]],
      ["farewell() says goodbye by name", ["src/farewell.js", "test/farewell.test.js"]],
      ["Address review findings (chunk 1, round 1)", ["src/farewell.js", "test/farewell.test.js"]],
      ["farewell() without a name says goodbye to a friend", ["src/farewell.js", "test/farewell.test.js"]],
    ]);
    expect(commits.every((commit) => commit.body.includes(`grove task ${id}`))).toBe(true);
    expect(git(repo, ["show", `${task.branch}:${specPath}`])).toBe(SPEC_REVISED.trimEnd());
    expect(git(repo, ["show", `${task.branch}:${planPath}`])).toBe(PLAN(specPath!).trimEnd());
    expect(git(repo, ["show", `${task.branch}:src/farewell.js`])).toBe(
      'export function farewell(name = "friend") {\n  return "Goodbye, " + name.trim() + "!";\n}',
    );
    expect(git(task.worktree, ["status", "--porcelain"])).toBe("");
    expect(git(repo, ["rev-parse", "main"])).toBe(task.baseCommit);

    // Artifacts on disk, and the same texts in the event log.
    expect(artifactNames(task)).toEqual([
      "chunk-1-report-1.md",
      "chunk-1-report-2.md",
      "chunk-1-review-1.md",
      "chunk-1-review-2.md",
      "chunk-2-report-1.md",
      "chunk-2-review-1.md",
      "design.md",
      "final-review-1.md",
      "ledger.md",
      "plan.md",
      "qa.md",
      "spec.md",
      "verify-1.log",
    ]);
    expect(artifact(task, "qa.md")).toBe(`**Q1.** ${QUESTION}\n\n**A1.** ${ANSWER}\n\n`);
    expect(artifact(task, "design.md")).toBe(`${DESIGN}\n`);
    expect(artifact(task, "spec.md")).toBe(SPEC_REVISED);
    expect(artifact(task, "plan.md")).toBe(PLAN(specPath!));
    expect(artifact(task, "chunk-1-review-1.md")).toContain(IMPORTANT_FINDING);
    expect(artifact(task, "chunk-1-report-2.md")).toContain("STATUS: DONE");
    const ledger = artifact(task, "ledger.md");
    expect(ledger).toContain(`user answered question item ${question!.id}: ${ANSWER}`);
    expect(ledger).toContain(`user revised spec item ${gate!.id}: ${SPEC_REVISION}`);
    expect(ledger).toContain(`user approved spec item ${revisedGate!.id}`);
    expect(ledger).toContain(`chunk-1-review-2: minor findings for the final review\n${MINOR_FINDING}`);
    expect(artifact(task, "verify-1.log")).toMatch(/# pass 4\b/);
    const logged = eventsOf(events, "pipeline_artifact").map(
      (event) => event.body as { name: string; text: string },
    );
    expect(new Set(logged.map((entry) => entry.name))).toEqual(new Set(artifactNames(task)));
    expect(logged.filter((entry) => entry.name === "spec.md").map((entry) => entry.text)).toEqual([
      SPEC,
      SPEC_REVISED,
    ]);

    // Usage per role, and the inbox's record of the three items.
    expect(pipeline!.step).toBe("ready");
    expect(pipeline!.minors).toHaveLength(1);
    const usage = pipeline!.usage;
    expect([usage.architect?.runs, usage.implementer?.runs, usage.reviewer?.runs]).toEqual([5, 3, 4]);
    for (const role of ["architect", "implementer", "reviewer"] as const) {
      expect(usage[role]!.input, role).toBeGreaterThan(0);
      expect(usage[role]!.output, role).toBeGreaterThan(0);
    }
    expect(usage.architect!.input + usage.implementer!.input + usage.reviewer!.input).toBe(task.inputTokens);
    // Cost per role, from the router config's prices for each role's model.
    const perMillion = (tokens: { input: number; output: number }, price: typeof ARCHITECT_PRICE) =>
      (tokens.input * price.input + tokens.output * price.output) / 1_000_000;
    expect(costs).toEqual({
      architect: { model: arch, ...usage.architect, costUsd: perMillion(usage.architect!, ARCHITECT_PRICE) },
      implementer: {
        model: impl,
        ...usage.implementer,
        costUsd: perMillion(usage.implementer!, IMPLEMENTER_PRICE),
      },
      reviewer: { model: rev, ...usage.reviewer, costUsd: null },
    });
    expect(costs.architect!.costUsd).toBeGreaterThan(0);
    expect(inbox.map((item) => [item.kind, item.stage, item.resolution, item.response])).toEqual([
      ["question", "question", "answered", ANSWER],
      ["gate", "spec", "revised", SPEC_REVISION],
      ["gate", "spec", "approved", null],
    ]);
    expect(await groveOk(sandbox, ["inbox"])).toBe("the inbox is empty: no task is waiting for you\n");
  }, 240_000);

  it("does not tell the architect its session is read-only when it resumes it to write the spec", async () => {
    // The brainstorm runs read-only and the spec run resumes its session with write access. A
    // model that believes its system prompt ("This session is read-only") refuses to write.
    const sandbox = makeSandbox("grove-feature-readonly-");
    const repo = await pipelineRepo(sandbox);
    const scripts = featureScripts();
    scripts.architect.unshift({
      when: { lastUserContains: "(grove step: spec)", systemContains: "This session is read-only" },
      repeat: true,
      text: "This session is read-only, so I cannot write the spec file.",
    });
    useRoleScripts(sandbox, scripts);
    const id = await startPlan(sandbox, repo, IDEA);
    const task = await settle(sandbox, id, "waiting-for-input");
    const { pipeline } = await pipelineView(sandbox, id);
    expect(pipeline!.gate?.about).toBe("spec");
    expect(git(repo, ["show", `${task.branch}:${pipeline!.specPath}`])).toBe(SPEC.trimEnd());
  }, 120_000);
});
