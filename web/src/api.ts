/**
 * The dashboard's client for the daemon's API. Same origin, relative URLs: the browser sends the
 * HttpOnly cookie and, on state changes, its own Origin (which the daemon checks).
 */
import type {
  InboxEntry,
  NewReviewComment,
  NewTaskInput,
  PipelineView,
  ReviewComment,
  ReviewInfo,
  RouterOverview,
  StoredEvent,
  Task,
  TaskDocument,
  WebConfig,
} from "./types";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The cookie is gone or the daemon restarted with a new token: the page asks for it again. */
function signedOut(): never {
  window.location.assign("/");
  throw new ApiError("signed out", 401);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) signedOut();
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // Not JSON: the text is the message.
    }
    throw new ApiError(message || `${response.status} ${response.statusText}`, response.status);
  }
  return (response.headers.get("content-type") ?? "").includes("json")
    ? (JSON.parse(text) as T)
    : (text as T);
}

const task = (id: number | string, action = "") => `/api/tasks/${encodeURIComponent(String(id))}${action}`;
const inboxItem = (id: number, action: string) => `/api/inbox/${id}/${action}`;

export const api = {
  health: () => request<{ ok: boolean; version: string }>("GET", "/api/health"),
  config: () => request<WebConfig>("GET", "/api/config"),
  tasks: () => request<Task[]>("GET", "/api/tasks"),
  activity: () => request<Record<string, StoredEvent>>("GET", "/api/activity"),
  task: (id: number) => request<Task>("GET", task(id)),
  events: (id: number, after = 0) => request<StoredEvent[]>("GET", task(id, `/events?after=${after}`)),
  diff: (id: number) => request<string>("GET", task(id, "/diff")),
  review: (id: number) => request<ReviewInfo>("GET", task(id, "/review")),
  create: (input: NewTaskInput) => request<Task>("POST", "/api/tasks", input),
  reply: (id: number, message: string) => request<Task>("POST", task(id, "/reply"), { message }),
  stop: (id: number) => request<Task>("POST", task(id, "/stop"), {}),
  resume: (id: number) => request<Task>("POST", task(id, "/resume"), {}),
  land: (id: number) => request<Task>("POST", task(id, "/land"), {}),
  discard: (id: number) => request<Task>("POST", task(id, "/discard"), {}),
  documents: (id: number) => request<TaskDocument[]>("GET", task(id, "/documents")),
  comments: (id: number) => request<ReviewComment[]>("GET", task(id, "/comments")),
  addComment: (id: number, comment: NewReviewComment) =>
    request<ReviewComment>("POST", task(id, "/comments"), comment),
  removeComment: (id: number, commentId: number) =>
    request<{ ok: boolean }>("DELETE", task(id, `/comments/${commentId}`)),
  /** Sends every pending comment (and the note) to the agent as one reply. */
  sendBack: (id: number, note: string) => request<Task>("POST", task(id, "/send-back"), { note }),
  pipeline: (id: number) => request<PipelineView>("GET", task(id, "/pipeline")),
  /** Open questions and gates across all tasks, oldest first. */
  inbox: () => request<InboxEntry[]>("GET", "/api/inbox"),
  answer: (item: number, text: string) => request<InboxEntry>("POST", inboxItem(item, "answer"), { text }),
  approve: (item: number) => request<InboxEntry>("POST", inboxItem(item, "approve"), {}),
  revise: (item: number, text: string) => request<InboxEntry>("POST", inboxItem(item, "revise"), { text }),
  router: (taskId?: number) =>
    request<RouterOverview>("GET", taskId === undefined ? "/api/router" : `/api/router?task=${taskId}`),
};

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
