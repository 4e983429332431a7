/**
 * The spec (design document) written by the architect:
 *
 * ```md
 * # <Title>
 * ## Goal
 * ## Requirements
 * - R1: The greeting ends with "!".
 * ## Approach
 * ## Assumptions
 * ```
 */
import { isBlank, leadingIndent, parseHeading, parseListItem, scanFences, toLines } from "./markdown.js";
import { placeholderProblems } from "./placeholders.js";
import { type LintProblem, sortProblems } from "./problems.js";

export interface Requirement {
  /** Normalised id: `R` followed by the number without leading zeros (`R1`). */
  id: string;
  text: string;
  /** 1-based line of the requirement's bullet. */
  line: number;
}

export interface Spec {
  /** Text of the first `#` heading; "" when there is none. */
  title: string;
  requirements: Requirement[];
  /** Texts of the `##` headings, in order. */
  sections: string[];
  problems: LintProblem[];
}

/** `R1: text`, `**R1**: text` or `**R1:** text`, as the content of a `-` or `*` bullet. */
const REQUIREMENT = /^(\*\*)?R(\d+)(?:\1[ \t]*:|:[ \t]*\1)[ \t]*(.*)$/i;

/** Normalises a requirement id (`r01` → `R1`). */
export function requirementId(digits: string): string {
  return `R${Number.parseInt(digits, 10)}`;
}

export function parseSpec(text: string): Spec {
  const lines = toLines(text);
  const { inFence } = scanFences(lines);
  const problems: LintProblem[] = [];
  const requirements: Requirement[] = [];
  const sections: string[] = [];
  let title: string | undefined;
  let requirementsHeading: number | undefined;
  let inRequirements = false;
  let current: Requirement | undefined;

  lines.forEach((line, i) => {
    if (inFence[i]) {
      current = undefined;
      return;
    }
    const heading = parseHeading(line);
    if (heading) {
      current = undefined;
      if (heading.level === 1 && title === undefined) title = heading.text;
      if (heading.level <= 2) inRequirements = false;
      if (heading.level === 2) {
        sections.push(heading.text);
        if (requirementsHeading === undefined && /^requirements\b/i.test(heading.text)) {
          requirementsHeading = i + 1;
          inRequirements = true;
        }
      }
      return;
    }
    if (!inRequirements) return;
    if (isBlank(line)) {
      current = undefined;
      return;
    }
    const item = parseListItem(line);
    if (item && item.indent < 2) {
      const match = REQUIREMENT.exec(item.content);
      if (!match) {
        current = undefined;
        problems.push({
          line: i + 1,
          message: `requirement without an id: write it as "- R<n>: <what must be true>"`,
        });
        return;
      }
      current = { id: requirementId(match[2]!), text: match[3]!.trim(), line: i + 1 };
      requirements.push(current);
      return;
    }
    // Indented lines (wrapped text, sub-bullets) continue the requirement above.
    if (current && leadingIndent(line) > 0) {
      current.text = `${current.text} ${line.trim()}`.trim();
      return;
    }
    current = undefined;
    if (REQUIREMENT.test(line.trim())) {
      problems.push({
        line: i + 1,
        message: 'write each requirement as a bullet: "- R<n>: <what must be true>"',
      });
    }
  });

  if (title === undefined || title === "") {
    problems.push({ line: 0, message: 'the spec has no title: start it with "# <title>"' });
  }
  if (requirementsHeading === undefined) {
    problems.push({
      line: 0,
      message: 'the spec has no "## Requirements" section: add one with a "- R1: …" bullet per requirement',
    });
  } else if (requirements.length === 0) {
    problems.push({
      line: requirementsHeading,
      message: 'the Requirements section lists no requirements: add a "- R1: …" bullet per requirement',
    });
  }
  const firstLine = new Map<string, number>();
  for (const requirement of requirements) {
    const earlier = firstLine.get(requirement.id);
    if (earlier !== undefined) {
      problems.push({
        line: requirement.line,
        message: `duplicate requirement id ${requirement.id} (already used on line ${earlier}): give each requirement its own id`,
      });
    } else firstLine.set(requirement.id, requirement.line);
    if (requirement.text === "") {
      problems.push({
        line: requirement.line,
        message: `${requirement.id} has no text: say what must be true`,
      });
    }
  }
  problems.push(...placeholderProblems(text));
  return { title: title ?? "", requirements, sections, problems: sortProblems(problems) };
}
