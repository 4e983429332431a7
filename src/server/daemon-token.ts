/**
 * The daemon's token. On loopback a fresh random one per start (only the user's own files hold
 * it, and `grove ui` signs the browser in). Bound beyond loopback, a browser on another machine
 * must stay signed in across restarts, so the token is stable: GROVE_DAEMON_TOKEN when set, else
 * the one in GROVE_HOME/daemon-token, created on first use with mode 600.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isLoopbackHost } from "../node/serve-router.js";

export const daemonTokenPath = (home: string) => join(home, "daemon-token");

const MIN_TOKEN_LENGTH = 16;

export class DaemonTokenError extends Error {}

/** Binds on every interface: 0.0.0.0, ::. */
export function isWildcardHost(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

export function isExposedHost(host: string): boolean {
  return !isLoopbackHost(host);
}

const newToken = () => randomBytes(24).toString("hex");

export function resolveDaemonToken(home: string, host: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.GROVE_DAEMON_TOKEN?.trim();
  if (configured) {
    if (configured.length < MIN_TOKEN_LENGTH)
      throw new DaemonTokenError(
        `GROVE_DAEMON_TOKEN is too short: use at least ${MIN_TOKEN_LENGTH} characters`,
      );
    return configured;
  }
  if (!isExposedHost(host)) return newToken();
  return storedToken(home);
}

/** GROVE_HOME/daemon-token: read it (tightening its mode to 600), or create it. */
function storedToken(home: string): string {
  const path = daemonTokenPath(home);
  try {
    const token = readFileSync(path, "utf8").trim();
    if (token.length >= MIN_TOKEN_LENGTH) {
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
      return token;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const token = newToken();
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // An existing (too short) file keeps its mode on overwrite.
  return token;
}
