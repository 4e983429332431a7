/**
 * Throwing work away: `grove discard` keeps the branch tip under refs/grove/archive/<id> and
 * removes the worktree; `grove gc` is what deletes archive and backup refs, only of tasks that
 * were landed or discarded, only those this grove home wrote, and says what it deleted. Refs of
 * another grove home (whose task ids are its own) under the same names are never touched.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commitFile,
  createTask,
  disposeAll,
  expectAllSettled,
  getTask,
  git,
  gitOk,
  grove,
  groveOk,
  makeSandbox,
  type Sandbox,
  sampleRepo,
  startDaemonProcess,
  type Task,
  tip,
  useScript,
} from "./harness.js";

let sandbox: Sandbox;
let repo: string;
let discarded: Task;
let landed: Task;
let conflicted: Task;
let collided: Task;

const groveRefs = () =>
  git(repo, ["for-each-ref", "--format=%(refname) %(objectname)", "refs/grove/"]).split("\n").filter(Boolean);

beforeAll(async () => {
  sandbox = makeSandbox("grove-gc-");
  repo = await sampleRepo(sandbox);
  useScript(sandbox, [
    ...["discard", "land", "collide"].map((word) => ({
      when: { turn: 0, lastUserContains: word },
      repeat: true,
      toolCalls: [{ name: "write", arguments: { path: `${word}.txt`, content: `${word}\n` } }],
    })),
    {
      when: { turn: 0, lastUserContains: "conflict" },
      repeat: true,
      toolCalls: [
        {
          name: "edit",
          arguments: { path: "README.md", old_string: "# greeter\n", new_string: "# greeter (task)\n" },
        },
      ],
    },
    { when: { turn: 1 }, repeat: true, text: "Done." },
  ]);
  await startDaemonProcess(sandbox);
  const created = [];
  for (const word of ["discard", "land", "conflict", "collide"])
    created.push(await createTask(sandbox, { cwd: repo, prompt: `Task to ${word}` }));
  [discarded, landed, conflicted, collided] = (await expectAllSettled(
    sandbox,
    created.map((task) => task.id),
    "done",
  )) as [Task, Task, Task, Task];
}, 60_000);
afterAll(disposeAll);

describe("discard and gc", () => {
  it("discard archives the branch tip and removes the worktree", async () => {
    const branchTip = tip(repo, discarded.branch);
    expect(existsSync(discarded.worktree)).toBe(true);

    const out = await groveOk(sandbox, ["discard", String(discarded.id)]);
    expect(out).toBe(
      `task ${discarded.id} discarded (discarded); branch tip kept at refs/grove/archive/${discarded.id}\n`,
    );
    expect(tip(repo, `refs/grove/archive/${discarded.id}`)).toBe(branchTip);
    expect(git(repo, ["show", `refs/grove/archive/${discarded.id}:discard.txt`])).toBe("discard");
    expect(existsSync(discarded.worktree)).toBe(false);
    expect(git(repo, ["worktree", "list", "--porcelain"])).not.toContain(discarded.worktree);
    expect(gitOk(repo, ["show-ref", "--verify", "--quiet", `refs/heads/${discarded.branch}`])).toBe(false);
    const after = await getTask(sandbox, discarded.id);
    expect(after).toMatchObject({ state: "discarded", archiveRef: `refs/grove/archive/${discarded.id}` });
  });

  it("discard never overwrites another grove home's archive under the same task id", async () => {
    // Another grove home numbered a task of its own like this one, and archived it here.
    const theirs = tip(repo, "main");
    git(repo, ["update-ref", `refs/grove/archive/${collided.id}`, theirs]);
    git(repo, ["update-ref", `refs/grove/backup/${collided.id}/1700000000000`, theirs]);
    const branchTip = tip(repo, collided.branch);

    const out = await groveOk(sandbox, ["discard", String(collided.id)]);
    expect(out).toBe(
      `task ${collided.id} discarded (discarded); branch tip kept at refs/grove/archive/${collided.id}-2\n`,
    );
    expect(tip(repo, `refs/grove/archive/${collided.id}-2`)).toBe(branchTip);
    expect(tip(repo, `refs/grove/archive/${collided.id}`)).toBe(theirs);
    expect(await getTask(sandbox, collided.id)).toMatchObject({
      state: "discarded",
      archiveRef: `refs/grove/archive/${collided.id}-2`,
    });
  });

  it("gc deletes the refs of landed and discarded tasks, says so, and leaves the others alone", async () => {
    // A landing leaves a backup ref; a conflicting landing leaves one too, on a task still in play.
    expect((await grove(sandbox, ["land", String(landed.id)])).code).toBe(0);
    commitFile(repo, "README.md", "# greeter (main)\n", "conflicting title");
    const conflict = await grove(sandbox, ["land", String(conflicted.id)]);
    expect(conflict.code).toBe(1);
    expect((await getTask(sandbox, conflicted.id)).state).toBe("conflict");
    const refs = groveRefs();
    const landedBackup = refs.find((ref) => ref.startsWith(`refs/grove/backup/${landed.id}/`))!;
    const conflictBackup = refs.find((ref) => ref.startsWith(`refs/grove/backup/${conflicted.id}/`))!;
    expect(landedBackup).toBeDefined();
    expect(conflictBackup).toBeDefined();
    const foreign = refs.filter(
      (ref) =>
        ref.startsWith(`refs/grove/archive/${collided.id} `) ||
        ref.startsWith(`refs/grove/backup/${collided.id}/1700000000000 `),
    );
    expect(foreign).toHaveLength(2);
    expect(refs).toHaveLength(6);
    const conflictedTip = tip(repo, conflicted.branch);

    // The default age keeps everything this young.
    expect(await groveOk(sandbox, ["gc"])).toBe("nothing to delete\n");
    const dry = await groveOk(sandbox, ["gc", "--older-than", "0m", "--dry-run"]);
    expect(dry).toContain(`would delete refs/grove/archive/${discarded.id}`);
    expect(groveRefs()).toEqual(refs);

    const out = await groveOk(sandbox, ["gc", "--older-than", "0m"]);
    const archive = refs.find((ref) => ref.startsWith(`refs/grove/archive/${discarded.id} `))!;
    const [archiveRef, archiveCommit] = archive.split(" ") as [string, string];
    const [backupRef, backupCommit] = landedBackup.split(" ") as [string, string];
    const collidedArchive = `refs/grove/archive/${collided.id}-2`;
    const collidedCommit = refs.find((ref) => ref.startsWith(`${collidedArchive} `))!.split(" ")[1]!;
    expect(out.split("\n").filter(Boolean).sort()).toEqual(
      [
        `deleted ${archiveRef} (${archiveCommit.slice(0, 12)}) in ${repo}`,
        `deleted ${backupRef} (${backupCommit.slice(0, 12)}) in ${repo}`,
        `deleted ${collidedArchive} (${collidedCommit.slice(0, 12)}) in ${repo}`,
      ].sort(),
    );
    // Left: the ref of the task still in conflict (its branch untouched), and the other home's.
    expect(groveRefs()).toEqual([conflictBackup, ...foreign].sort());
    expect(tip(repo, conflicted.branch)).toBe(conflictedTip);
    expect(await groveOk(sandbox, ["gc", "--older-than", "0m"])).toBe("nothing to delete\n");
  });
});
