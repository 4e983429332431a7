/**
 * Child-process entry for the fast fake upstream, so its CPU never mixes with the client's or
 * the router's. Configured by env (BENCH_CHUNKS, BENCH_FRAMES_PER_TICK, BENCH_UPSTREAM_WRITE);
 * prints `fake upstream listening on <baseUrl>` when ready; exits on SIGTERM.
 */
import { DEFAULT_FRAMES_PER_TICK, startFastUpstream } from "./fast-upstream.js";

const upstream = await startFastUpstream({
  chunks: Number(process.env.BENCH_CHUNKS ?? 1000),
  framesPerTick: Number(process.env.BENCH_FRAMES_PER_TICK ?? DEFAULT_FRAMES_PER_TICK),
  write: process.env.BENCH_UPSTREAM_WRITE === "coalesce" ? "coalesce" : "frames",
});
process.stdout.write(`fake upstream listening on ${upstream.baseUrl}\n`);
process.once("SIGTERM", () => {
  void upstream.close().then(() => process.exit(0));
});
