/** Safe, unique branch names (`grove/<slug>`) derived from arbitrary task text. */
import { GitError, git } from "../../node/git-exec.js";

const PREFIX = "grove";

/** Letters that NFKD does not decompose into ASCII but have an obvious ASCII spelling. */
const TRANSLITERATIONS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  ł: "l",
  þ: "th",
  ı: "i",
};

/**
 * A lowercase ASCII slug of `text` usable as one component of a git branch name: letters and
 * digits, with `.` and `_` kept between them and every other run of characters turned into `-`.
 * Accents are stripped (é → e); characters without an ASCII spelling (日本語, emoji) are dropped.
 * Never empty (falls back to "task"), never starts or ends with `-`, `.` or `_`, never contains
 * `..`, and never ends in `.lock`.
 */
export function slugify(text: string, maxLength = 40): string {
  const limit = Math.max(1, Math.floor(Number.isFinite(maxLength) ? maxLength : 40));
  let slug = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (ch) => TRANSLITERATIONS[ch] ?? "-")
    .replace(/[^a-z0-9._]+/g, "-")
    .replace(/[._-]{2,}/g, (run) => (/^(\.+|_+)$/.test(run) ? run[0]! : "-"));
  slug = trimSeparators(slug);
  if (slug.length > limit) {
    const cut = slug.slice(0, limit);
    const lastDash = cut.lastIndexOf("-");
    slug = trimSeparators(lastDash >= limit / 2 ? cut.slice(0, lastDash) : cut);
  }
  while (slug.endsWith(".lock")) slug = trimSeparators(slug.slice(0, -".lock".length));
  return slug === "" ? "task".slice(0, limit) : slug;
}

function trimSeparators(text: string): string {
  return text.replace(/^[._-]+|[._-]+$/g, "");
}

/**
 * The first free branch name among `grove/<slug>`, `grove/<slug>-2`, `grove/<slug>-3`, … where
 * the slug comes from `text`. A name is taken when a branch has it, or when a branch lives
 * "under" it (`grove/<slug>/x`), which git would refuse. Archive and backup refs do not count.
 */
export async function uniqueBranchName(
  repo: string,
  text: string,
  /** Names already promised to tasks whose branches do not exist yet. */
  reserved: ReadonlySet<string> = new Set(),
): Promise<string> {
  const slug = slugify(text);
  // Two git processes side by side: every branch at or under `grove` (the pattern matches
  // `refs/heads/grove` and everything below `refs/heads/grove/`), and whether `grove/<slug>` is a
  // valid name (then so is `grove/<slug>-<n>`: a suffix of "-" and digits breaks none of git's rules).
  const [listing, valid] = await Promise.allSettled([
    git(repo, ["for-each-ref", "--format=%(refname)", `refs/heads/${PREFIX}`]),
    assertValidBranchName(repo, `${PREFIX}/${slug}`),
  ]);
  if (listing.status === "rejected") throw listing.reason;
  const branches = listing.value
    .split("\n")
    .filter((ref) => ref.startsWith("refs/heads/"))
    .map((ref) => ref.slice("refs/heads/".length));
  if (branches.includes(PREFIX))
    throw new Error(
      `A branch named "${PREFIX}" exists in ${repo}, so no branch can be created under "${PREFIX}/"; rename it first`,
    );
  // Taken: a branch's own name, and every name a branch lives under.
  const taken = new Set<string>();
  for (const branch of branches) {
    taken.add(branch);
    for (let slash = branch.indexOf("/"); slash !== -1; slash = branch.indexOf("/", slash + 1))
      taken.add(branch.slice(0, slash));
  }
  for (let n = 1; n <= 1000; n++) {
    const name = `${PREFIX}/${n === 1 ? slug : `${slug}-${n}`}`;
    if (reserved.has(name) || taken.has(name)) continue;
    if (valid.status === "rejected") {
      if (n === 1) throw valid.reason;
      await assertValidBranchName(repo, name); // Asked again for the name actually chosen.
    }
    return name;
  }
  throw new Error(`Could not find a free branch name for "${slug}" in ${repo} (tried 1000)`);
}

/**
 * A name git certainly accepts as a branch: slash-separated components of letters, digits, `_`,
 * `.` and `-` that start with a letter, digit or `_`, end with neither `.` nor `.lock`, and no
 * `..`; never `HEAD`. Anything else is for `git check-ref-format` to judge.
 */
export function isPlainlyValidBranchName(name: string): boolean {
  if (name === "HEAD" || name.includes("..")) return false;
  return name
    .split("/")
    .every(
      (part) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(part) && !part.endsWith(".") && !part.endsWith(".lock"),
    );
}

/** Throws a precise error when git would not accept `name` as a branch name. */
export async function assertValidBranchName(repo: string, name: string): Promise<void> {
  if (name.startsWith("-")) throw new Error(`"${name}" is not a valid branch name: it starts with "-"`);
  if (isPlainlyValidBranchName(name)) return; // No git process needed.
  try {
    await git(repo, ["check-ref-format", "--branch", name]);
  } catch (error) {
    if (error instanceof GitError)
      throw new Error(`"${name}" is not a valid branch name (git check-ref-format: ${error.stderr.trim()})`);
    throw error;
  }
}
