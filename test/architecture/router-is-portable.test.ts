/**
 * The router core and its Worker entry (src/worker) must run on Cloudflare Workers, so neither
 * they nor anything they import, transitively and including third-party packages, may import
 * a Node built-in.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const portableDirs = ["src/protocol", "src/router", "src/worker"];
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
/** Real import syntax (static, dynamic, require), as TypeScript's scanner sees it: no regex over strings. */
function specifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Follows every import from `file`, into packages too, and returns the chains that reach a built-in. */
function builtinChains(entryFiles: string[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of specifiers(readFileSync(file, "utf8"))) {
      if (builtins.has(specifier)) {
        problems.push([...chain, file, specifier].map((part) => part.replace(`${root}/`, "")).join(" → "));
        continue;
      }
      if (specifier.startsWith(".")) {
        const target = resolve(
          dirname(file),
          specifier.replace(/\.js$/, file.endsWith(".ts") ? ".ts" : ".js"),
        );
        visit(target, [...chain, file]);
        continue;
      }
      // A bare package specifier: resolve it as an ESM import from this file would.
      const resolved = import.meta.resolve(specifier, pathToFileURL(file).href);
      visit(new URL(resolved).pathname, [...chain, file]);
    }
  };
  for (const file of entryFiles) visit(file, []);
  return problems;
}

describe("router portability", () => {
  it("imports no Node built-in, directly or through a dependency", () => {
    const files = portableDirs.flatMap((dir) => sourceFiles(join(root, dir)));
    expect(files.length).toBeGreaterThan(10);
    expect(builtinChains(files)).toEqual([]);
  });

  it("covers the Worker entry", () => {
    const files = sourceFiles(join(root, "src/worker"));
    expect(files.map((file) => file.replace(`${root}/`, ""))).toContain("src/worker/index.ts");
  });

  it("detects a built-in import when there is one", () => {
    // One Node-side module: the whole of src/node also reaches esbuild and miniflare, whose
    // optional imports (pnpapi, say) do not resolve here.
    expect(builtinChains([join(root, "src/node/paths.ts")]).length).toBeGreaterThan(0);
  });
});
