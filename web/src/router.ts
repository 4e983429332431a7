/** A tiny history router: the daemon serves index.html for every page path. */
import { useSyncExternalStore } from "react";

export type Route =
  | { name: "board" }
  | { name: "task"; id: number; tab: string }
  | { name: "review" }
  | { name: "inbox" }
  | { name: "new" }
  | { name: "router"; taskId: number | undefined }
  | { name: "not-found" };

export function parseRoute(pathname: string, search = ""): Route {
  if (pathname === "/" || pathname === "") return { name: "board" };
  if (pathname === "/review") return { name: "review" };
  if (pathname === "/inbox") return { name: "inbox" };
  if (pathname === "/new") return { name: "new" };
  if (pathname === "/router") {
    const task = Number(new URLSearchParams(search).get("task"));
    return { name: "router", taskId: Number.isInteger(task) && task > 0 ? task : undefined };
  }
  const match = /^\/tasks\/(\d+)\/?$/.exec(pathname);
  if (match)
    return {
      name: "task",
      id: Number(match[1]),
      tab: new URLSearchParams(search).get("tab") ?? "transcript",
    };
  return { name: "not-found" };
}

const listeners = new Set<() => void>();

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

export function useRoute(): Route {
  const location = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const url = new URL(location, "http://page");
  return parseRoute(url.pathname, url.search);
}
