/**
 * The dashboard's build: `web/` → `dist/web/`, served by the daemon. `npx vite --config
 * web/vite.config.ts` runs a dev server that forwards the API to a daemon on GROVE_DAEMON_URL
 * (default http://127.0.0.1:4777): open `/auth?token=…` on the dev server to sign in.
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

const daemon = process.env.GROVE_DAEMON_URL ?? "http://127.0.0.1:4777";
const proxy: ProxyOptions = {
  target: daemon,
  changeOrigin: true,
  // The daemon only accepts state changes from its own origin; the dev server speaks for it.
  configure: (server) => server.on("proxyReq", (request) => request.setHeader("origin", daemon)),
};

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { "/api": proxy, "/auth": proxy } },
});
