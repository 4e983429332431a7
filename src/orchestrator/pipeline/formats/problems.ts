/** Lint problems reported back to the agent that wrote a document, so it can fix them. */
export interface LintProblem {
  /** 1-based line in the linted document; 0 when the problem is not tied to one line. */
  line: number;
  message: string;
}

/** Problems ordered by line (document-wide ones, line 0, first); stable within a line. */
export function sortProblems(problems: readonly LintProblem[]): LintProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => a.problem.line - b.problem.line || a.index - b.index)
    .map(({ problem }) => problem);
}

/**
 * A Markdown bullet list, one problem per line: `- line 12: message`, or `- message` for
 * document-wide problems. Empty string when there are none.
 */
export function formatLintProblems(problems: readonly LintProblem[]): string {
  return problems
    .map((problem) =>
      problem.line > 0 ? `- line ${problem.line}: ${problem.message}` : `- ${problem.message}`,
    )
    .join("\n");
}
