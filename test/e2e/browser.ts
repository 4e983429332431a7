/**
 * Headless Chromium for the dashboard's end-to-end tests and `npm run bench:ui`: Debian's
 * `chromium` package driven by playwright-core (browsers cannot be downloaded here, so Playwright's
 * own builds are never used). A missing browser is an error, never a skip: these tests must fail
 * where they cannot run.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** The browser binary (Debian's wrapper script); GROVE_CHROMIUM overrides it. */
export const CHROMIUM_PATH = process.env.GROVE_CHROMIUM || "/usr/bin/chromium";

/** Where tests save screenshots (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

/**
 * Flags for a machine with no network but loopback: no GPU, no QUIC, and none of Chromium's
 * background connections (which this machine refuses, many at a time). Playwright gives every
 * launch a fresh, empty user-data-dir of its own and removes it on close.
 */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `${CHROMIUM_PATH} is missing: the browser tests need Debian's chromium (sudo apt-get install chromium)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: ARGS,
    timeout: 30_000,
  });
}

/** A context with a desktop-sized viewport (the Board's columns side by side). */
export function newDashboardContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1440, height: 900 } });
}

/**
 * Signs in the way `grove ui` does: `/auth?token=…` trades the token for the HttpOnly cookie and
 * redirects to the Board. Resolves once the Board's live stream is open.
 */
export async function signIn(page: Page, info: { url: string; token: string }): Promise<void> {
  await page.goto(`${info.url}/auth?token=${encodeURIComponent(info.token)}`);
  await page.getByTestId("board").waitFor();
  await page.locator('[data-testid="stream-status"][data-status="live"]').waitFor();
}

/** Saves a full-page screenshot as test-artifacts/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Marks the current document so a test can later prove it was never reloaded: the mark lives in
 * the page's JavaScript heap, which any navigation that loads a new document throws away.
 */
export async function markDocument(page: Page): Promise<string> {
  const mark = `grove-${Math.random().toString(36).slice(2)}`;
  await page.evaluate((value) => {
    (window as unknown as { __groveMark?: string }).__groveMark = value;
  }, mark);
  return mark;
}

/** The mark set by `markDocument`, or undefined once the page has loaded a new document. */
export function documentMark(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { __groveMark?: string }).__groveMark);
}
