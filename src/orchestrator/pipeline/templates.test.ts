import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES, fillTemplate, loadTemplate, renderTemplate } from "./templates.js";

describe("pipeline templates", () => {
  it("fills known placeholders and leaves unknown ones visible", () => {
    expect(fillTemplate("a {{x}} b {{y_z}} {{missing}}", { x: "1", y_z: "2" })).toBe("a 1 b 2 {{missing}}");
  });

  it("starts every template with the step line scripts and readers key on", () => {
    for (const [name, template] of Object.entries(DEFAULT_TEMPLATES)) {
      if (name.startsWith("brainstorm-")) continue; // Fragments inside the brainstorm prompt.
      expect(template, name).toMatch(/^\(grove step: [a-z{}-]+\)\n/);
    }
  });

  it("prefers the repository's .grove/prompts/<name>.md", async () => {
    const repo = mkdtempSync(join(tmpdir(), "grove-templates-"));
    expect(await loadTemplate(repo, "review-chunk")).toBe(DEFAULT_TEMPLATES["review-chunk"]);
    mkdirSync(join(repo, ".grove", "prompts"), { recursive: true });
    writeFileSync(join(repo, ".grove", "prompts", "review-chunk.md"), "Review {{diff}} strictly.");
    expect(await renderTemplate(repo, "review-chunk", { diff: "+x" })).toBe("Review +x strictly.");
  });
});
