/** Reads a daemon's change stream (`GET /api/stream`) in a test, collecting every message. */
import { createParser } from "eventsource-parser";

export interface StreamReader {
  messages: { event: string; data: unknown }[];
  /** Resolves once the response headers arrived: the daemon has subscribed this stream. */
  ready: Promise<void>;
  stop(): void;
}

export function readStream(url: string, token: string): StreamReader {
  const controller = new AbortController();
  const messages: StreamReader["messages"] = [];
  let opened: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    opened = resolve;
  });
  void (async () => {
    try {
      const response = await fetch(`${url}/api/stream`, {
        headers: { authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      opened();
      const parser = createParser({
        onEvent: (message) =>
          messages.push({ event: message.event ?? "message", data: JSON.parse(message.data) }),
      });
      const decoder = new TextDecoder();
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      opened();
    }
  })();
  return { messages, ready, stop: () => controller.abort() };
}
