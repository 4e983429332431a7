/** A levelled, line-oriented logger. The sink decides where lines go (stderr, Worker console). */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void): Logger {
  const at = (lineLevel: LogLevel) =>
    ORDER[lineLevel] >= ORDER[level]
      ? (message: string) => write(`${new Date().toISOString()} ${lineLevel.padEnd(5)} ${message}`)
      : () => {};
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export const silentLogger: Logger = createLogger("silent", () => {});
