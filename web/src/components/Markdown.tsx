/** A Markdown document, rendered and sanitized (see lib/markdown.ts). */
import { useMemo } from "react";
import { renderMarkdown } from "../lib/markdown";

export function Markdown({ text, testId }: { text: string; testId?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Safe: renderMarkdown's output has been through DOMPurify.
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by DOMPurify just above.
  return <div className="markdown" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
