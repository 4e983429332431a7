/** Pure parsers and linters for the Markdown documents the feature pipeline exchanges with agents. */
export { type BrainstormTurn, parseBrainstorm } from "./brainstorm.js";
export { isLocationLike, splitLocation } from "./location.js";
export { findPlaceholders, type Placeholder, placeholderProblems } from "./placeholders.js";
export { type Plan, type PlanField, type PlanTask, parsePlan, planChunks } from "./plan.js";
export { DEFAULT_MAX_CODE_BLOCK_LINES, lintPlan, type PlanLintOptions } from "./plan-lint.js";
export { formatLintProblems, type LintProblem } from "./problems.js";
export { parseReport, REPORT_STATUSES, type Report, type ReportStatus, statusOf } from "./report.js";
export {
  blockingFindings,
  type Finding,
  formatFindings,
  parseReview,
  type Review,
  type Severity,
  type Verdict,
  verdictOf,
} from "./review.js";
export { parseSpec, type Requirement, type Spec } from "./spec.js";
export { parseTriage, type Triage, type TriageDecision, type TriageDecisionKind } from "./triage.js";
