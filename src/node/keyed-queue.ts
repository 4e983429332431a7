/** Runs async work one at a time per key (work under different keys runs side by side). */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Starts `work` once everything queued before it under `key` has settled; resolves as it does. */
  run<T>(key: string, work: () => Promise<T> | T): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(work);
    const settled = result.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return result;
  }
}
