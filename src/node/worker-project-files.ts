/** The small hand-readable files of a generated Worker project (the router itself is bundled). */
import { WORKER_COMPATIBILITY_DATE } from "./worker-bundle.js";
import { WORKER_COMPATIBILITY_FLAGS } from "./worker-runtime.js";
import type { WorkerSecret } from "./worker-secrets.js";

/** wrangler for `wrangler deploy`: the newest that runs on Node 20, and the one grove tests with. */
export const WRANGLER_VERSION = "4.86.0";

export const ENTRY_MODULE = `// The grove router as a Cloudflare Worker, written by \`grove worker init\`.
// Edit router.json (or set the GROVE_ROUTER_CONFIG variable); grove-router.js is generated.
import config from "../router.json";
import { createGroveWorker } from "./grove-router.js";

export default createGroveWorker({ config });
`;

export function wranglerConfig(name: string): string {
  return `// A Cloudflare Worker serving the grove router, written by \`grove worker init\`.
// Secrets (the $NAME references in router.json) are set with \`npx wrangler secret put NAME\`, never here.
{
  "$schema": "node_modules/wrangler/config-schema.json",
  "name": ${JSON.stringify(name)},
  "main": "src/index.js",
  "compatibility_date": "${WORKER_COMPATIBILITY_DATE}",
  // request.signal aborts when the client goes away, so the router cancels its upstream request.
  "compatibility_flags": ${JSON.stringify(WORKER_COMPATIBILITY_FLAGS)},
  // Workers Logs keeps the router's log lines (its console output).
  "observability": { "enabled": true },
  // Optional: "GROVE_LOG_URL" (an endpoint that receives each request's record as JSON),
  // "GROVE_ROUTER_CONFIG" (the router config, overriding router.json).
  "vars": {}
}
`;
}

export function packageJson(name: string): string {
  const json = {
    name,
    private: true,
    type: "module",
    scripts: { deploy: "wrangler deploy", dev: "wrangler dev" },
    devDependencies: { wrangler: WRANGLER_VERSION },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export const GITIGNORE = "node_modules/\n.wrangler/\n.dev.vars\n";

/** The commands that set each secret, one per distinct name. */
export function secretCommands(secrets: WorkerSecret[]): string[] {
  const names = [...new Set(secrets.map((secret) => secret.name))];
  return names.map((name) => {
    const paths = secrets.filter((secret) => secret.name === name).map((secret) => secret.path);
    return `npx wrangler secret put ${name}   # ${paths.join(", ")}`;
  });
}

export function readme(name: string, secrets: WorkerSecret[]): string {
  const commands = secretCommands(secrets);
  return `# ${name}: the grove router on Cloudflare Workers

Written by \`grove worker init\`. \`router.json\` is the router config (no secrets in it);
\`src/grove-router.js\` is grove's router, bundled; re-run \`grove worker init --force\` to update it.

Try it locally, in the real workerd runtime: \`grove worker dev .\` (secrets from the environment
or from \`.dev.vars\`).

Deploy:

\`\`\`sh
npm install
${commands.length > 0 ? `${commands.join("\n")}\n` : ""}npx wrangler deploy
\`\`\`

Then point Claude Code at the URL that \`wrangler deploy\` prints:
\`ANTHROPIC_BASE_URL=https://${name}.<your-subdomain>.workers.dev\`.
`;
}
