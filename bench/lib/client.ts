/**
 * The load generator: plain `fetch` for every target, so client overhead is the same for the
 * direct and the routed calls. Each request's body is read to the end.
 */
export interface RequestSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface Timing {
  /** ms from calling fetch to the first body bytes. */
  ttfb: number;
  /** ms from calling fetch to the end of the body. */
  ttlb: number;
  bytes: number;
  /** How many body chunks the client read (a proxy for how the server batched its writes). */
  reads: number;
  status: number;
}

export async function timedRequest(spec: RequestSpec, keepText = false): Promise<Timing & { text: string }> {
  const started = performance.now();
  const response = await fetch(spec.url, { method: "POST", headers: spec.headers, body: spec.body });
  let ttfb = Number.NaN;
  let bytes = 0;
  let reads = 0;
  const decoder = new TextDecoder();
  let text = "";
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (reads === 0) ttfb = performance.now() - started;
    reads += 1;
    bytes += value.byteLength;
    if (keepText) text += decoder.decode(value, { stream: true });
  }
  const ttlb = performance.now() - started;
  if (keepText) text += decoder.decode();
  return { ttfb, ttlb, bytes, reads, status: response.status, text };
}

export interface BatchResult {
  timings: Timing[];
  wallMs: number;
  failures: number;
}

/** `count` requests with at most `concurrency` in flight. */
export async function runBatch(spec: RequestSpec, concurrency: number, count: number): Promise<BatchResult> {
  const timings: Timing[] = [];
  let failures = 0;
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < count) {
      issued += 1;
      try {
        const timing = await timedRequest(spec);
        if (timing.status === 200) timings.push(timing);
        else failures += 1;
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { timings, wallMs: performance.now() - started, failures };
}
