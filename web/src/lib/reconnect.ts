/** Exponential backoff for the event stream: 0.5 s, 1 s, 2 s … up to 10 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** Math.max(0, attempt));
}

/** The task stream's URL: one task's log after the last event already seen, or every change. */
export function streamUrl(taskId?: number, afterSeq = 0): string {
  return taskId === undefined ? "/api/stream" : `/api/stream?task=${taskId}&after=${afterSeq}`;
}
