/**
 * Ships each finished request's record to an HTTP endpoint (GROVE_LOG_URL). The POST runs
 * after the response, so the Worker keeps it alive with `ctx.waitUntil`.
 */
import type { RequestRecord } from "../router/handlers/messages.js";
import type { Logger } from "../router/log.js";

export interface LogSink {
  url: string;
  token?: string;
}

export async function sendRecord(
  sink: LogSink,
  record: RequestRecord,
  logger: Logger,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (sink.token) headers.authorization = `Bearer ${sink.token}`;
  try {
    const response = await fetchImpl(sink.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ service: "grove-router", time: new Date().toISOString(), ...record }),
    });
    await response.body?.cancel();
    if (!response.ok) logger.warn(`log sink answered ${response.status}; the record was not stored`);
  } catch (error) {
    logger.warn(`log sink unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
}
