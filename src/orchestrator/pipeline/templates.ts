/**
 * The prompts each lane's agents get. Every template can be replaced per repository by a file
 * `.grove/prompts/<name>.md`; `{{name}}` placeholders are filled in, and the first line names
 * the step so a person reading the log (or a scripted model) knows where the prompt came from.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

const FORMAT_REVIEW = `End your answer with exactly this format (no other VERDICT line):

VERDICT: APPROVED or CHANGES_REQUESTED
FINDINGS:
- [critical|important|minor] path/to/file:line — what is wrong and why

Critical and important findings must be fixed before this lands; minor ones are noted for later. Write "FINDINGS: none" when there are none.`;

const FORMAT_REPORT = `End your answer with one line \`STATUS: DONE\`, \`STATUS: DONE_WITH_CONCERNS\` (then say what worries you), \`STATUS: NEEDS_CONTEXT\` (then ask what you need) or \`STATUS: BLOCKED\` (then say why).`;

export const DEFAULT_TEMPLATES = {
  research: `(grove step: research)
{{task}}

This is a research spike in a scratch worktree: a proof of concept, not code to land. Try things, keep what you learn, and write your findings to {{notes_path}}: the question, what you tried, what worked, what did not, and what you would do next.`,

  explain: `(grove step: explain)
{{task}}

Explain this from the code as it is: read, search and trace; you cannot change files. Your whole answer becomes a notes document kept as context for later work, so make it stand alone: name files and functions, quote the lines that matter, and say what you could not determine.`,

  implement: `(grove step: implement)
{{task}}

Keep the change small and focused: tests first where the repository has tests, then the code, then run the tests. ${FORMAT_REPORT}`,

  brainstorm: `(grove step: brainstorm)
You are the architect. Turn this idea into a design before anyone writes code:

{{idea}}

Read the code that the idea touches first. {{mode}}
When you understand enough, answer with a line \`DESIGN READY\`, then 2-3 approaches with their trade-offs, your recommendation, and (if you made any) your assumptions as a list. Keep it short: this is for a person to skim.`,

  "brainstorm-interactive": `If something only the user can decide is unclear, ask ONE question and stop: a line \`QUESTION: …\`, optionally followed by lettered options. Ask only what the code cannot tell you; you have at most {{question_budget}} questions left.`,

  "brainstorm-auto": `Do not ask questions: decide for yourself and record each decision as an assumption.`,

  answer: `(grove step: brainstorm)
The user answered your question: {{answer}}

Continue: ask your next question (\`QUESTION: …\`) only if it is really needed, or answer \`DESIGN READY\` with the approaches, your recommendation and your assumptions.`,

  spec: `(grove step: spec)
Write the design document for the recommended approach to {{spec_path}} (create the folder if needed), in this Markdown format:

# <title>

## Goal
<one paragraph>

## Requirements
- R1: <one testable requirement per line, numbered R1, R2, …>

## Approach
<the chosen approach, and why; the alternatives in a sentence each>

## Assumptions
- <decisions you made for the user, if any>

Keep it proportionate to the idea: a small idea gets a short spec. No placeholders (TBD, TODO). Answer with a two-line summary when the file is written.`,

  "spec-revise": `(grove step: spec)
The user asked for revisions to the spec at {{spec_path}}:

{{answer}}

Update the file, then answer with a short summary of what changed.`,

  plan: `(grove step: plan)
Write the implementation plan for the spec at {{spec_path}} to {{plan_path}}, for an engineer with zero context on this code. Use exactly this format:

# Plan: <title>

Spec: {{spec_path}}

## Task 1: <short title>
Files: \`path/one\`, \`path/two\`
Covers: R1
Steps:
1. <a 2-5 minute step: write the failing test, run it and see it fail, write the code, run it and see it pass>
Test: \`<command>\` — <what the test checks>
Commit: <commit message>

Every task names its files, the requirements it covers, its steps, its test and its commit; together the tasks cover every requirement. Size the plan to the spec (a small idea gets one to three tasks), describe steps instead of pre-writing code, and never write placeholders ("TBD", "similar to Task 1", "add validation"). Answer with one line when the file is written.`,

  "plan-fix": `(grove step: plan)
The plan at {{plan_path}} does not pass grove's plan check:

{{problems}}

Fix each problem in the file, then answer with one line.`,

  "implement-chunk": `(grove step: implement)
You are the implementer. Implement these tasks of the plan at {{plan_path}} (the spec is {{spec_path}}), in order, and nothing else:

{{tasks}}

Work test first: write the failing test, see it fail, write the code, see it pass. Follow the plan; if it is wrong, say so instead of improvising. ${FORMAT_REPORT}`,

  fix: `(grove step: fix)
The architect reviewed your work and requests these changes (verbatim):

{{findings}}

Fix each one, run the tests, and say what you changed for each. ${FORMAT_REPORT}`,

  "review-chunk": `(grove step: review)
You are the architect, reviewing an implementer's work with a fresh eye. The spec is {{spec_path}}, the plan {{plan_path}}. The implementer was given:

{{tasks}}

{{concerns}}The change (git diff):

\`\`\`diff
{{diff}}
\`\`\`

Check: does it do what the spec and these tasks ask, no more and no less? Are there tests that check behaviour (not mocks), and do they pass? Is the scope limited to the planned files? Errors handled, edge cases covered, no duplication? Treat the implementer's claims as unverified: read the code. Do not change files.

${FORMAT_REVIEW}`,

  "review-final": `(grove step: final-review)
You are the architect, reviewing the whole branch before it goes to a person's review queue. The spec is {{spec_path}}, the plan {{plan_path}}. Minor findings noted during the chunk reviews:

{{minors}}

The whole change (git diff against the base):

\`\`\`diff
{{diff}}
\`\`\`

Check the branch as one change: does it meet every requirement of the spec, hang together, and leave nothing half done? Do not change files.

${FORMAT_REVIEW}`,

  "verify-fix": `(grove step: verify-fix)
The repository's tests fail on this branch (\`{{test_command}}\`):

\`\`\`
{{test_output}}
\`\`\`

Find the cause and fix it; do not weaken or skip tests. ${FORMAT_REPORT}`,

  triage: `(grove step: triage)
A reviewer did some analysis of this change. They are external, so they read the codebase cold: they may be right, wrong, or right for the wrong reason. Evaluate each of their findings against the actual code (read it; do not change files). For each, decide: accept (it is real and worth fixing now), reject (it is wrong, or not worth it; say why) or needs-human (only the owner can decide). Then judge the reviewer overall: would you hire them?

The review:

{{review}}

Answer in exactly this format, one line per finding, numbered as in the review (or in order):

# Triage

- [accept] 1: path/to/file:line — why it is right, and the fix
- [reject] 2: path/to/file:line — why it is wrong
- [needs-human] 3 — what the owner must decide

VERDICT: hire or no hire — one sentence on the reviewer`,

  "triage-fix": `(grove step: fix)
An external review of this branch was triaged. Fix exactly these accepted findings, nothing else:

{{findings}}

The full review, for context:

{{review}}

${FORMAT_REPORT}`,

  continue: `(grove step: {{step}})
You were interrupted. Continue the task where you left off, and end your answer in the format you were asked for.`,

  nudge: `(grove step: {{step}})
Your last answer did not follow the required format: {{problem}} Answer again, in the format asked for.`,
} as const;

export type TemplateName = keyof typeof DEFAULT_TEMPLATES;

/** Fills `{{name}}` placeholders; unknown ones are left as they are, so a typo stays visible. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([a-z_]+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** A repository's template, or grove's own. */
export async function loadTemplate(repo: string, name: TemplateName): Promise<string> {
  try {
    return await readFile(join(repo, ".grove", "prompts", `${name}.md`), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return DEFAULT_TEMPLATES[name];
    throw new Error(`cannot read .grove/prompts/${name}.md: ${(error as Error).message}`);
  }
}

export async function renderTemplate(
  repo: string,
  name: TemplateName,
  values: Record<string, string>,
): Promise<string> {
  return fillTemplate(await loadTemplate(repo, name), values);
}
