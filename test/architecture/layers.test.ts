/**
 * Layers depend one way: protocol → router → worker → node → agent → orchestrator → server → cli.
 * (worker, the Cloudflare Worker entry, sits on the router and below everything Node-specific.)
 * A file may import its own layer or a lower one, and there are no import cycles.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const src = resolve(import.meta.dirname, "../../src");
const LAYERS = ["protocol", "router", "worker", "node", "agent", "orchestrator", "server", "cli"];

function sourceFiles(): string[] {
  return readdirSync(src, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

function localImports(file: string): string[] {
  return ts
    .preProcessFile(readFileSync(file, "utf8"), true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, ".ts")));
}

const layerOf = (file: string) => LAYERS.indexOf(relative(src, file).split("/")[0]!);

describe("layering", () => {
  const files = sourceFiles();

  it("puts every source file in a known layer", () => {
    expect(files.filter((file) => layerOf(file) === -1).map((file) => relative(src, file))).toEqual([]);
  });

  it("never imports upward", () => {
    const violations = files.flatMap((file) =>
      localImports(file)
        .filter((target) => layerOf(target) > layerOf(file))
        .map((target) => `${relative(src, file)} → ${relative(src, target)}`),
    );
    expect(violations).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map(files.map((file) => [file, localImports(file)]));
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(src, f)).join(" → "));
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
