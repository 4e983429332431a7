/**
 * Per-repository settings, committed with the repository as `.grove/config.json`. Everything
 * is optional; a repository without the file gets the defaults.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { formatZodIssues } from "../router/config/resolve-config.js";
import { AGENTS, TASK_KINDS } from "./task-states.js";

const agentChoice = z.object({ agent: z.enum(AGENTS).optional(), model: z.string().optional() }).strict();

export const repoConfigSchema = z
  .object({
    $schema: z.string().optional(),
    copyFiles: z
      .array(z.string())
      .default([])
      .describe("Files to copy into each new worktree, e.g. .env (globs allowed)."),
    setup: z
      .string()
      .optional()
      .describe("Command run in each new worktree before the agent starts, e.g. npm ci."),
    test: z.string().optional().describe("Command that must pass before a task lands, e.g. npm test."),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe("Agents running at once; more tasks wait in FIFO order."),
    ports: z
      .object({
        start: z.number().int().min(1024).max(65_000).default(20_000),
        blockSize: z.number().int().min(1).max(100).default(10),
      })
      .strict()
      .default({ start: 20_000, blockSize: 10 }),
    defaults: z
      .partialRecord(z.enum(["default", ...TASK_KINDS]), agentChoice)
      .default({})
      .describe("Agent and model per task kind."),
    claude: z
      .object({
        permissionMode: z
          .enum(["acceptEdits", "default", "plan", "bypassPermissions"])
          .default("acceptEdits"),
      })
      .strict()
      .default({ permissionMode: "acceptEdits" }),
    landStrategy: z.enum(["rebase", "merge", "squash"]).default("rebase"),
    pipeline: z
      .object({
        chunkSize: z.number().int().min(1).max(20).default(3).describe("Plan tasks per implementer chunk."),
        reviewRounds: z
          .number()
          .int()
          .min(1)
          .max(10)
          .default(3)
          .describe("Review rounds per chunk before the task waits for the user."),
        questions: z
          .number()
          .int()
          .min(0)
          .max(20)
          .default(5)
          .describe("Questions the architect may ask while brainstorming."),
        specDir: z
          .string()
          .default("docs/plans")
          .describe("Where the spec and plan are written, relative to the repository root."),
        roles: z
          .partialRecord(z.enum(["architect", "implementer", "reviewer"]), agentChoice)
          .default({})
          .describe("Agent and model per role (default: the task's agent and model)."),
      })
      .strict()
      .default({ chunkSize: 3, reviewRounds: 3, questions: 5, specDir: "docs/plans", roles: {} }),
  })
  .strict();

export type RepoConfig = z.output<typeof repoConfigSchema>;

export class RepoConfigError extends Error {}

export async function loadRepoConfig(repo: string): Promise<RepoConfig> {
  const path = join(repo, ".grove", "config.json");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return repoConfigSchema.parse({});
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RepoConfigError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = repoConfigSchema.safeParse(json);
  if (!parsed.success) throw new RepoConfigError(`${path}: ${formatZodIssues(parsed.error)}`);
  return parsed.data;
}
