/**
 * The review queue: one task at a time, the one ready longest first. Comments on diff lines are
 * kept by the daemon per task and sent back as one follow-up; or the task lands, or is discarded.
 * Keys: n/j next, p/k previous, l land, s send back, d discard.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { api, errorMessage } from "../api";
import { commentsStore } from "../comments-store";
import { DISCARD_MESSAGE } from "../lib/actions";
import { reviewQueue } from "../lib/board";
import { currentReview, stepReview } from "../lib/review";
import { pendingComments, sentBackText } from "../lib/send-back";
import { REVIEW_SHORTCUTS, type ReviewAction, reviewAction } from "../lib/shortcuts";
import { liveStore, useLive } from "../store";
import type { Task } from "../types";
import { ConfirmDialog } from "./ConfirmDialog";
import { Link } from "./Link";
import { ReviewPanel } from "./ReviewPanel";

export function ReviewQueue() {
  const { tasks, loaded } = useLive();
  const queue = useMemo(() => reviewQueue(tasks.values()), [tasks]);
  const [chosen, setChosen] = useState<number | undefined>();
  const current = currentReview(queue, chosen, tasks);
  const [notes, setNotes] = useState<ReadonlyMap<number, string>>(new Map());
  const [busy, setBusy] = useState<string | undefined>();
  const [message, setMessage] = useState<{ text: string; error?: boolean } | undefined>();
  const [confirming, setConfirming] = useState(false);

  const act = async (
    name: string,
    task: Task,
    action: () => Promise<Task>,
    done?: string | ((changed: Task) => string),
  ) => {
    setBusy(name);
    setMessage(undefined);
    setChosen(task.id);
    try {
      const changed = await action();
      liveStore.setTask(changed);
      if (done) setMessage({ text: typeof done === "string" ? done : done(changed) });
      return true;
    } catch (error) {
      setMessage({ text: errorMessage(error), error: true });
      return false;
    } finally {
      setBusy(undefined);
    }
  };

  const perform = (action: ReviewAction) => {
    if (action === "next" || action === "previous") {
      const next = stepReview(queue, current, action === "next" ? 1 : -1);
      setMessage(next ? undefined : { text: "No other task is ready for review." });
      if (next) setChosen(next.id);
      return;
    }
    if (!current || busy) return;
    if (action === "land" && current.state !== "landing")
      void act("land", current, () => api.land(current.id));
    if (action === "discard") setConfirming(true);
    if (action === "send-back") {
      const note = notes.get(current.id) ?? "";
      const pending = pendingComments(commentsStore.get(current.id) ?? []);
      if (pending.length === 0 && !note.trim())
        return setMessage({ text: "Add a comment on a line (or a note) first.", error: true });
      void act("send-back", current, () => api.sendBack(current.id, note), sentBackText).then((sent) => {
        if (sent) setNotes((all) => new Map(all).set(current.id, ""));
        commentsStore.load(current.id, true);
      });
    }
  };
  const performRef = useRef(perform);
  performRef.current = perform;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (document.querySelector("dialog[open]")) return;
      const target = event.target instanceof HTMLElement ? event.target : undefined;
      const action = reviewAction({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        ...(target ? { targetTag: target.tagName, targetEditable: target.isContentEditable } : {}),
      });
      if (!action) return;
      event.preventDefault();
      performRef.current(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  if (!current)
    return (
      <p className="empty" data-testid="review-empty">
        {loaded ? "Nothing is waiting for review." : "Loading…"} <Link to="/">Back to the Board</Link>
      </p>
    );
  const position = queue.findIndex((task) => task.id === current.id);
  return (
    <section className="review" data-testid="review-queue" data-task-id={current.id}>
      <div className="toolbar">
        <span data-testid="review-position">
          {position === -1 ? `${queue.length} ready` : `${position + 1} of ${queue.length} ready`}
        </span>
        {REVIEW_SHORTCUTS.map((shortcut) => (
          <button
            type="button"
            key={shortcut.action}
            className={
              shortcut.action === "land" ? "primary" : shortcut.action === "discard" ? "danger" : undefined
            }
            disabled={busy !== undefined && shortcut.action !== "next" && shortcut.action !== "previous"}
            onClick={() => perform(shortcut.action)}
            data-testid={`review-${shortcut.action}`}
          >
            {busy === shortcut.action ? `${shortcut.label}…` : shortcut.label} <kbd>{shortcut.key}</kbd>
          </button>
        ))}
      </div>
      {message && (
        <p className={message.error ? "error-text" : "notice"} data-testid="review-message">
          {message.text}
        </p>
      )}
      <ReviewPanel
        key={current.id}
        task={current}
        note={notes.get(current.id) ?? ""}
        onNote={(next) => setNotes((all) => new Map(all).set(current.id, next))}
      />
      {confirming && (
        <ConfirmDialog
          title={`Discard task #${current.id}?`}
          message={DISCARD_MESSAGE}
          confirmLabel="Discard"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void act("discard", current, () => api.discard(current.id), "Discarded.");
          }}
        />
      )}
    </section>
  );
}
