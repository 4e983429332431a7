/**
 * How a browser authenticates to the daemon. `grove ui` prints `/auth?token=…`, which trades the
 * daemon token for an HttpOnly, SameSite=Strict cookie and redirects to the dashboard; the page
 * never sees the token. API calls accept the Bearer header (the CLI) or that cookie (the page).
 * A cookie is sent by the browser on its own, so a state-changing request that relies on it must
 * also come from the daemon's own origin (CSRF).
 *
 * Bound beyond loopback (`grove serve --host 0.0.0.0`), the daemon is reached under names it
 * cannot list (a LAN address, a Tailscale name), so an Origin equal to the request's own Host
 * counts as same-origin: a cross-site page's Origin never equals the daemon's Host, and a
 * DNS-rebound one gets no cookie (the cookie belongs to the daemon's real name).
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { matchesToken } from "../router/auth.js";

export const TOKEN_COOKIE = "grove_token";

export interface WebAuthOptions {
  token: string;
  /** The origins the daemon is reached at (e.g. http://127.0.0.1:4777), known once it listens. */
  origins: () => readonly string[];
  /** Accept an Origin that equals `http://<Host header>` (a non-loopback bind). */
  trustHostOrigin?: boolean;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origins a loopback daemon at `url` is reached at: its own, and the other loopback names. */
export function originsFor(url: string): string[] {
  const { protocol, hostname, port } = new URL(url);
  const loopback = ["127.0.0.1", "localhost", "[::1]"];
  const hosts = loopback.includes(hostname) ? loopback : [hostname];
  return hosts.map((host) => `${protocol}//${host}${port ? `:${port}` : ""}`);
}

export function hasValidCookie(c: Context, token: string): boolean {
  const cookie = getCookie(c, TOKEN_COOKIE);
  return cookie !== undefined && matchesToken(cookie, [token]);
}

function sameOrigin(c: Context, options: WebAuthOptions): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined) return false;
  if (options.origins().includes(origin)) return true;
  const host = c.req.header("host");
  return options.trustHostOrigin === true && host !== undefined && origin === `http://${host}`;
}

/** `/api/*`: the Bearer token (or `?token=`), or the dashboard cookie plus a same-origin check. */
export function apiAuth(options: WebAuthOptions): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const presented = header.startsWith("Bearer ") ? header.slice(7) : c.req.query("token");
    if (presented !== undefined && presented !== "") {
      if (!matchesToken(presented, [options.token]))
        return c.json({ error: "missing or wrong daemon token" }, 401);
      return next();
    }
    if (!hasValidCookie(c, options.token)) return c.json({ error: "missing or wrong daemon token" }, 401);
    if (!SAFE_METHODS.has(c.req.method) && !sameOrigin(c, options))
      return c.json({ error: "refused: a cross-origin request (CSRF check)" }, 403);
    return next();
  };
}

/** `GET /auth?token=…` (from `grove ui`) and `POST /auth` (the paste form) set the cookie. */
export function registerAuthRoutes(app: Hono, options: WebAuthOptions): void {
  const grant = (c: Context, presented: string) => {
    if (!matchesToken(presented, [options.token]))
      return c.html(tokenPage("That token is not this daemon's. Run grove ui again."), 401);
    setCookie(c, TOKEN_COOKIE, presented, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      maxAge: 30 * 24 * 3600,
    });
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.redirect("/", 303);
  };
  app.get("/auth", (c) => grant(c, c.req.query("token") ?? ""));
  app.post("/auth", async (c) => {
    if (c.req.header("origin") !== undefined && !sameOrigin(c, options))
      return c.text("refused: a cross-origin request (CSRF check)", 403);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === "string" ? form.token.trim() : "";
    return grant(c, token);
  });
  app.post("/logout", (c) => {
    if (!sameOrigin(c, options)) return c.text("refused: a cross-origin request (CSRF check)", 403);
    setCookie(c, TOKEN_COOKIE, "", { httpOnly: true, sameSite: "Strict", path: "/", maxAge: 0 });
    return c.redirect("/", 303);
  });
}

/** The page shown without a valid cookie. It holds no token: the user pastes one. */
export function tokenPage(problem?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>grove: sign in</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1f2328}
code{background:#f0f2f4;padding:.1rem .3rem;border-radius:4px}
input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit;margin:.5rem 0}
button{padding:.45rem 1rem;font:inherit;cursor:pointer}
.problem{color:#b42318}
</style></head>
<body>
<h1>grove</h1>
${problem ? `<p class="problem" data-testid="auth-problem">${escapeHtml(problem)}</p>` : ""}
<p>Run <code>grove ui</code> in a terminal: it opens this dashboard signed in. Or paste the token from the
URL it prints (<code>…/auth?token=<em>this part</em></code>):</p>
<form method="post" action="/auth" data-testid="auth-form">
<input name="token" type="password" autocomplete="off" placeholder="daemon token" aria-label="daemon token" data-testid="auth-token-input" autofocus>
<button type="submit" data-testid="auth-submit">Open the dashboard</button>
</form>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!,
  );
}
