/**
 * A task's documents (notes, spec, plan: the Markdown its branch wrote, and any in its task
 * directory), listed on the left and rendered as Markdown on the right. Re-read when the task
 * changes state or runs again.
 */
import { useEffect, useState } from "react";
import { api, errorMessage } from "../api";
import type { Task, TaskDocument } from "../types";
import { Markdown } from "./Markdown";

export function DocumentsPanel({ task }: { task: Task }) {
  const [documents, setDocuments] = useState<TaskDocument[] | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [chosen, setChosen] = useState<string | undefined>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: state and runs are triggers.
  useEffect(() => {
    let current = true;
    api
      .documents(task.id)
      .then((found) => {
        if (!current) return;
        setDocuments(found);
        setProblem(undefined);
      })
      .catch((error: unknown) => current && setProblem(errorMessage(error)));
    return () => {
      current = false;
    };
  }, [task.id, task.state, task.runs]);

  if (problem)
    return (
      <p className="error-text" data-testid="documents-error">
        {problem}
      </p>
    );
  if (!documents) return <p className="muted">Loading documents…</p>;
  if (documents.length === 0)
    return (
      <p className="empty" data-testid="documents-empty">
        No documents: this task's branch has no Markdown files of its own yet.
      </p>
    );
  const key = (document: TaskDocument) => `${document.source}:${document.path}`;
  const shown = documents.find((document) => key(document) === chosen) ?? documents[0]!;
  return (
    <div className="documents" data-testid="documents">
      <ul className="document-list" data-testid="document-list">
        {documents.map((document) => (
          <li key={key(document)}>
            <button
              type="button"
              className={document === shown ? "link active" : "link"}
              aria-current={document === shown}
              onClick={() => setChosen(key(document))}
              data-testid="document-link"
              data-path={document.path}
            >
              {document.path}
            </button>
            {document.source === "task" && <span className="muted"> (task)</span>}
          </li>
        ))}
      </ul>
      <article className="document" data-testid="document" data-path={shown.path}>
        <h3 className="muted">{shown.path}</h3>
        {shown.truncated && (
          <p className="notice">Only the start of this document is shown: it is very long.</p>
        )}
        <Markdown text={shown.content} testId="document-body" />
      </article>
    </div>
  );
}
