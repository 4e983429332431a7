/** The review queue's keyboard shortcuts. */

export type ReviewAction = "next" | "previous" | "land" | "send-back" | "discard";

export const REVIEW_SHORTCUTS: readonly { key: string; action: ReviewAction; label: string }[] = [
  { key: "n", action: "next", label: "next" },
  { key: "p", action: "previous", label: "previous" },
  { key: "l", action: "land", label: "land" },
  { key: "s", action: "send-back", label: "send back" },
  { key: "d", action: "discard", label: "discard" },
];

interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The focused element's tag name and whether it is editable. */
  targetTag?: string;
  targetEditable?: boolean;
}

/** The action for a key press, or undefined (typing in a field never triggers one). */
export function reviewAction(event: KeyLike): ReviewAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  const tag = (event.targetTag ?? "").toUpperCase();
  if (event.targetEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return undefined;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const alias: Record<string, ReviewAction> = { j: "next", k: "previous" };
  return REVIEW_SHORTCUTS.find((shortcut) => shortcut.key === key)?.action ?? alias[key];
}
