import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { git } from "../../node/git-exec.js";
import { isPlainlyValidBranchName, slugify, uniqueBranchName } from "./branch-name.js";
import { createScratchRepo, type ScratchRepo } from "./scratch-repo.js";

async function isValidBranch(repo: string, name: string): Promise<boolean> {
  return git(repo, ["check-ref-format", "--branch", name]).then(
    () => true,
    () => false,
  );
}

const HOSTILE = [
  "fix; rm -rf /",
  "a..b",
  "../../etc/passwd",
  "  spaces   everywhere  ",
  `"quoted" and 'single'`,
  "$(rm -rf /)",
  "`whoami`",
  "Café crème brûlée",
  "日本語のタスク",
  "🚀🔥",
  "add 🚀 rocket",
  "--force",
  "-x",
  "...",
  "refs/heads/main",
  "HEAD@{1}",
  "a//b",
  "foo.lock",
  "config.lock.lock",
  "back\\slash",
  "tilde~1^2:colon?star*[bracket]",
  "",
  "  ",
  "x".repeat(500),
  `${"word ".repeat(60)}end`,
  "Straße Ærø Łódź",
  "v1.2.3 release",
  "snake_case__name",
];

describe("slugify", () => {
  it("produces lowercase ASCII slugs", () => {
    expect(slugify("Fix the Login Bug!")).toBe("fix-the-login-bug");
    expect(slugify("Café crème brûlée")).toBe("cafe-creme-brulee");
    expect(slugify("Straße Ærø Łódź")).toBe("strasse-aero-lodz");
    expect(slugify("add 🚀 rocket")).toBe("add-rocket");
    expect(slugify("v1.2.3 release")).toBe("v1.2.3-release");
    expect(slugify("fix; rm -rf /")).toBe("fix-rm-rf");
    expect(slugify("$(rm -rf /)")).toBe("rm-rf");
    expect(slugify("`whoami`")).toBe("whoami");
    expect(slugify("a..b")).toBe("a.b");
    expect(slugify("--force")).toBe("force");
    expect(slugify("foo.lock")).toBe("foo");
    expect(slugify("config.lock.lock")).toBe("config");
  });

  it("falls back to 'task' when nothing is left", () => {
    for (const text of ["", "  ", "日本語のタスク", "🚀🔥", "...", "-", "@{"])
      expect(slugify(text)).toBe("task");
  });

  it("respects the maximum length, preferring to cut between words", () => {
    expect(slugify("x".repeat(500))).toBe("x".repeat(40));
    expect(slugify(`${"word ".repeat(60)}end`)).toBe(Array(8).fill("word").join("-"));
    expect(slugify("abcdef ghijkl", 8)).toBe("abcdef");
    for (const text of HOSTILE) expect(slugify(text, 12).length).toBeLessThanOrEqual(12);
  });

  it("never yields anything git would reject or that could be an option", () => {
    for (const text of HOSTILE) {
      const slug = slugify(text);
      expect(slug, text).toMatch(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/);
      expect(slug, text).not.toMatch(/\.\.|@\{|\/\/|\.lock$/);
    }
  });
});

describe("uniqueBranchName", () => {
  let s: ScratchRepo;
  beforeEach(async () => {
    s = await createScratchRepo();
  });
  afterEach(() => s.remove());

  it("returns valid grove/ branch names for hostile text", async () => {
    for (const text of HOSTILE) {
      const name = await uniqueBranchName(s.repo, text);
      expect(name.startsWith("grove/"), text).toBe(true);
      expect(await isValidBranch(s.repo, name), name).toBe(true);
      await git(s.repo, ["branch", name]);
    }
  });

  it("adds -2, -3… on collisions", async () => {
    expect(await uniqueBranchName(s.repo, "Fix login")).toBe("grove/fix-login");
    await git(s.repo, ["branch", "grove/fix-login"]);
    expect(await uniqueBranchName(s.repo, "Fix login")).toBe("grove/fix-login-2");
    await git(s.repo, ["branch", "grove/fix-login-2"]);
    expect(await uniqueBranchName(s.repo, "fix LOGIN")).toBe("grove/fix-login-3");
  });

  it("treats a branch nested under the name as a collision and ignores grove refs", async () => {
    await git(s.repo, ["branch", "grove/docs/extra"]);
    expect(await uniqueBranchName(s.repo, "docs")).toBe("grove/docs-2");
    await git(s.repo, ["update-ref", "refs/grove/archive/x", "HEAD"]);
    expect(await uniqueBranchName(s.repo, "x")).toBe("grove/x");
  });

  it("accepts without asking git only names that git accepts", async () => {
    const names = [
      ...HOSTILE,
      ...HOSTILE.map((text) => `grove/${slugify(text)}`),
      ...["grove/fix-login-2", "main", "a/b", "a.b", "_x", "1", "feature/x_y-z.1", "a/HEAD"],
      ...["HEAD", "x.lock", "a/.b", "a./b", "a.", "@", "a@b", "x/y.lock/z", "a/-b", "a b", "a\tb", "a~1"],
    ];
    let plain = 0;
    for (const name of names) {
      if (!isPlainlyValidBranchName(name)) continue;
      plain += 1;
      expect(await isValidBranch(s.repo, name), name).toBe(true);
    }
    expect(plain).toBeGreaterThan(HOSTILE.length);
    for (const name of ["HEAD", "x.lock", "a/.b", "a./b", "a.", "a..b", "a//b", "-x", "a/-b", "a@{1}"])
      expect(isPlainlyValidBranchName(name), name).toBe(false);
  });

  it("explains when a branch named 'grove' blocks the namespace", async () => {
    await git(s.repo, ["branch", "grove"]);
    await expect(uniqueBranchName(s.repo, "anything")).rejects.toThrow(/branch named "grove" exists/);
  });
});
