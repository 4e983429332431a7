/**
 * What the user can do with an open inbox item: answer a question; approve a gate, or send it
 * back with what to change. A refusal from the daemon (the item was resolved elsewhere, an empty
 * text) shows beside the buttons.
 */
import { useState } from "react";
import { api, errorMessage } from "../api";
import { inboxStore } from "../inbox-store";
import type { InboxItem } from "../types";

type Action = "answer" | "approve" | "revise";

const BUSY: Record<Action, string> = { answer: "Sending…", approve: "Approving…", revise: "Sending…" };

export function InboxActions({ item }: { item: Pick<InboxItem, "id" | "kind"> }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState<Action | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const question = item.kind === "question";

  const run = async (action: Action) => {
    setBusy(action);
    setProblem(undefined);
    try {
      if (action === "approve") await api.approve(item.id);
      else if (action === "answer") await api.answer(item.id, text);
      else await api.revise(item.id, text);
      setText("");
      inboxStore.resolved(item.id);
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(undefined);
    }
  };
  const textAction: Action = question ? "answer" : "revise";

  return (
    <form
      className="inbox-actions"
      data-testid="inbox-actions"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim()) void run(textAction);
      }}
    >
      <textarea
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey))
            event.currentTarget.form?.requestSubmit();
        }}
        placeholder={question ? "Your answer…" : "To revise: what should change…"}
        rows={2}
        aria-label={question ? "Answer" : "What should change"}
        data-testid={question ? "inbox-answer-input" : "inbox-revise-input"}
      />
      <div className="row">
        {!question && (
          <button
            type="button"
            className="primary"
            onClick={() => void run("approve")}
            disabled={busy !== undefined}
            data-testid="inbox-approve"
          >
            {busy === "approve" ? BUSY.approve : "Approve"}
          </button>
        )}
        <button
          type="submit"
          className={question ? "primary" : undefined}
          disabled={busy !== undefined || !text.trim()}
          data-testid={question ? "inbox-answer" : "inbox-revise"}
        >
          {busy === textAction ? BUSY[textAction] : question ? "Send answer" : "Revise"}
        </button>
        {problem && (
          <span className="error-text" role="alert" data-testid="inbox-error">
            {problem}
          </span>
        )}
      </div>
    </form>
  );
}
