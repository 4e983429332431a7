/**
 * The daemon's change stream (`GET /api/stream`) as a hook. EventSource sends the cookie; on any
 * error the connection is closed and opened again with backoff, from a URL computed afresh (so a
 * task view resumes after the last event it has). A stream that keeps failing because the cookie
 * is no longer valid sends the page back to the sign-in form.
 */
import { useEffect, useRef, useState } from "react";
import { reconnectDelay } from "./lib/reconnect";
import type { CommentsChange, RouterRequest, StoredEvent, Task } from "./types";

export type StreamStatus = "connecting" | "live" | "reconnecting";

export interface StreamHandlers {
  onOpen?: () => void;
  onTask?: (task: Task) => void;
  onEvent?: (event: StoredEvent) => void;
  onRouterRequest?: (request: RouterRequest) => void;
  onComments?: (change: CommentsChange) => void;
}

export function useEventStream(url: (() => string) | null, handlers: StreamHandlers): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const latest = useRef({ url, handlers });
  latest.current = { url, handlers };
  const enabled = url !== null;

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | undefined;
    let timer: number | undefined;
    let attempt = 0;
    let closed = false;

    const connect = () => {
      const makeUrl = latest.current.url;
      if (closed || !makeUrl) return;
      source = new EventSource(makeUrl(), { withCredentials: true });
      source.onopen = () => {
        attempt = 0;
        setStatus("live");
        latest.current.handlers.onOpen?.();
      };
      source.addEventListener("task", (message) => {
        latest.current.handlers.onTask?.(JSON.parse((message as MessageEvent<string>).data) as Task);
      });
      source.addEventListener("event", (message) => {
        latest.current.handlers.onEvent?.(JSON.parse((message as MessageEvent<string>).data) as StoredEvent);
      });
      source.addEventListener("router_request", (message) => {
        const request = JSON.parse((message as MessageEvent<string>).data) as RouterRequest;
        latest.current.handlers.onRouterRequest?.(request);
      });
      source.addEventListener("comments", (message) => {
        const change = JSON.parse((message as MessageEvent<string>).data) as CommentsChange;
        latest.current.handlers.onComments?.(change);
      });
      source.onerror = () => {
        source?.close();
        if (closed) return;
        setStatus("reconnecting");
        if (attempt >= 2) void checkSignedIn();
        timer = window.setTimeout(connect, reconnectDelay(attempt++));
      };
    };
    connect();
    return () => {
      closed = true;
      source?.close();
      window.clearTimeout(timer);
    };
  }, [enabled]);

  return status;
}

/** A 401 means the cookie is stale (the daemon restarted with a new token): sign in again. */
async function checkSignedIn(): Promise<void> {
  try {
    const response = await fetch("/api/health", { credentials: "same-origin" });
    if (response.status === 401) window.location.assign("/");
  } catch {
    // The daemon is down: keep retrying.
  }
}
