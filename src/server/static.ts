/**
 * The dashboard: a single-page app built by Vite into `dist/web/`, served by the daemon at its
 * own address. On loopback the assets are public (the same bundle for everyone); bound beyond
 * loopback, every request needs the cookie. The page itself is served only with the dashboard
 * cookie, otherwise a small form asks for the token.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { packageRoot } from "../node/paths.js";
import { hasValidCookie, tokenPage } from "./web-auth.js";

export const defaultWebRoot = () => join(packageRoot, "dist", "web");

/** No inline scripts, nothing from elsewhere, no framing. Inline styles: diff2html sets some. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

function pageHeaders(c: Context): void {
  c.header("Content-Security-Policy", CSP);
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on the sign-in
  // form's POST, which the CSRF check must refuse. Cross-origin requests still get nothing.
  c.header("Referrer-Policy", "same-origin");
  c.header("Cache-Control", "no-store");
}

export function registerDashboard(
  app: Hono,
  options: { token: string; webRoot: string; assetsNeedCookie?: boolean },
): void {
  const { webRoot, token } = options;
  if (options.assetsNeedCookie) {
    const signedIn: MiddlewareHandler = async (c, next) =>
      hasValidCookie(c, token) ? next() : c.text("sign in first: open the URL grove serve printed", 401);
    app.use("/assets/*", signedIn);
    app.use("/favicon.svg", signedIn);
  }
  if (existsSync(webRoot)) {
    app.use(
      "/assets/*",
      serveStatic({
        root: webRoot,
        onFound: (_path, c) => {
          c.header("Cache-Control", "public, max-age=31536000, immutable");
          c.header("X-Content-Type-Options", "nosniff");
        },
      }),
    );
    app.get("/favicon.svg", serveStatic({ root: webRoot }));
  }

  // The app's own routes (/, /tasks/3, /review, /new) all get index.html; the app routes itself.
  app.get("*", (c) => {
    const path = c.req.path;
    if (path.startsWith("/api/") || path.startsWith("/assets/") || /\.[a-z0-9]+$/i.test(path))
      return c.json({ error: `not found: ${path}` }, 404);
    pageHeaders(c);
    if (!hasValidCookie(c, token)) return c.html(tokenPage(), 401);
    let html: string;
    try {
      html = readFileSync(join(webRoot, "index.html"), "utf8");
    } catch {
      return c.html(
        "<!doctype html><title>grove</title><p>The dashboard is not built: run <code>npm run build</code> in grove's folder.</p>",
        503,
      );
    }
    return c.html(html);
  });
}
