/** Router requests as the change stream delivers them, for whichever Router view is open. */
import type { RouterRequest } from "./types";

const listeners = new Set<(request: RouterRequest) => void>();

export const routerFeed = {
  subscribe(listener: (request: RouterRequest) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  publish(request: RouterRequest): void {
    for (const listener of listeners) listener(request);
  },
};
