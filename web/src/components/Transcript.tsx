/**
 * The live transcript, virtualized: only the rows on screen exist, each measured as it renders,
 * so a log of 10,000 events scrolls smoothly. It follows new output while scrolled to the bottom.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState } from "react";
import type { TranscriptItem } from "../lib/transcript";
import { TranscriptRow } from "./TranscriptRow";

export function Transcript({ items }: { items: readonly TranscriptItem[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const following = useRef(true);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 56,
    overscan: 12,
    getItemKey: (index) => items[index]!.key,
  });

  const toggle = useCallback((key: string) => {
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  const toEnd = useCallback(() => {
    virtualizer.scrollToIndex(items.length - 1, { align: "end" });
    // Rows are measured as they render: settle at the true bottom once they are.
    requestAnimationFrame(() => {
      const element = scroller.current;
      if (element && following.current) element.scrollTop = element.scrollHeight;
    });
  }, [items.length, virtualizer]);

  useEffect(() => {
    if (following.current && items.length > 0) toEnd();
  }, [items, toEnd]);

  const onScroll = () => {
    const element = scroller.current;
    if (element) following.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
  };

  if (items.length === 0)
    return (
      <p className="empty" data-testid="transcript-empty">
        Nothing yet.
      </p>
    );
  return (
    <div className="transcript" ref={scroller} onScroll={onScroll} data-testid="transcript">
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index]!;
          return (
            <div
              key={row.key}
              data-index={row.index}
              ref={virtualizer.measureElement}
              className="transcript-slot"
              style={{ transform: `translateY(${row.start}px)` }}
            >
              <TranscriptRow item={item} open={open.has(item.key)} onToggle={toggle} />
            </div>
          );
        })}
      </div>
      <button
        type="button"
        className="follow"
        onClick={() => {
          following.current = true;
          toEnd();
        }}
        data-testid="transcript-jump-end"
      >
        ↓ latest
      </button>
    </div>
  );
}
