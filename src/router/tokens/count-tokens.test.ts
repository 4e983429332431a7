import { readFileSync } from "node:fs";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { type CountTokensRequest, countTokensRequestSchema } from "../../protocol/anthropic.js";
import { countRequestTokens, imageTokensForSize } from "./count-tokens.js";

const u32be = (v: number): number[] => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

/** A PNG signature + IHDR for the given size, padded with zeros like real pixel data would be. */
function pngBase64(width: number, height: number): string {
  const ihdr = [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...u32be(width), ...u32be(height), 8, 6, 0, 0, 0];
  const bytes = [
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...ihdr,
    0,
    0,
    0,
    0,
    ...new Array(64).fill(0),
  ];
  return btoa(String.fromCharCode(...bytes));
}

const base: CountTokensRequest = {
  model: "claude-sonnet-4-5",
  messages: [{ role: "user", content: "Please list the files in the current directory." }],
};

const tool = {
  name: "Bash",
  description: "Run a shell command and return its output.",
  input_schema: {
    type: "object",
    properties: { command: { type: "string", description: "The command to run" } },
    required: ["command"],
  },
};

function loadFixture(): CountTokensRequest {
  const raw: { body: unknown } = JSON.parse(
    readFileSync(new URL("../../../test/fixtures/claude-02-request.json", import.meta.url), "utf8"),
  );
  return countTokensRequestSchema.parse(raw.body);
}

describe("countRequestTokens", () => {
  it("counts plain text close to the tokenizer's raw count", () => {
    const text = "The quick brown fox jumps over the lazy dog. ".repeat(50);
    const raw = countTokens(text);
    const counted = countRequestTokens({ ...base, messages: [{ role: "user", content: text }] });
    expect(counted).toBeGreaterThanOrEqual(raw);
    expect(counted).toBeLessThanOrEqual(raw + 20);
  });

  it("treats special-token text as plain text instead of throwing", () => {
    expect(countRequestTokens({ ...base, system: "<|endoftext|>" })).toBeGreaterThan(
      countRequestTokens(base),
    );
  });

  it("grows when a tool, a tool_result, an image or a system message is added", () => {
    const plain = countRequestTokens(base);
    const withTool = countRequestTokens({ ...base, tools: [tool] });
    expect(withTool).toBeGreaterThan(plain);
    expect(countRequestTokens({ ...base, tools: [tool, { ...tool, name: "Bash2" }] })).toBeGreaterThan(
      withTool,
    );

    const turn: CountTokensRequest["messages"] = [
      ...base.messages,
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "ls" } }],
      },
    ];
    const beforeResult = countRequestTokens({ ...base, tools: [tool], messages: turn });
    expect(beforeResult).toBeGreaterThan(withTool);
    const result: CountTokensRequest["messages"][number] = {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "t1", content: "README.md\nsrc\npackage.json" }],
    };
    const afterResult = countRequestTokens({ ...base, tools: [tool], messages: [...turn, result] });
    expect(afterResult).toBeGreaterThan(beforeResult);

    const image = { type: "image" as const, source: { type: "url" as const, url: "https://x.test/a.png" } };
    const withImage = countRequestTokens({ ...base, messages: [{ role: "user", content: [image] }] });
    expect(withImage).toBeGreaterThanOrEqual(1600);

    const system = { role: "system" as const, content: "Extra instructions mid-conversation." };
    expect(countRequestTokens({ ...base, messages: [...base.messages, system] })).toBeGreaterThan(plain);
  });

  it("counts images by their dimensions", () => {
    const content = (data: string): CountTokensRequest["messages"] => [
      {
        role: "user",
        content: [{ type: "image", source: { type: "base64", media_type: "image/png", data } }],
      },
    ];
    const empty = countRequestTokens({ ...base, messages: [{ role: "user", content: [] }] });
    const square = countRequestTokens({ ...base, messages: content(pngBase64(1000, 1000)) });
    expect(square - empty).toBe(1334);
    const small = countRequestTokens({ ...base, messages: content(pngBase64(200, 100)) });
    expect(small - empty).toBe(27);
    const unreadable = countRequestTokens({ ...base, messages: content(btoa("not an image")) });
    expect(unreadable - empty).toBe(1600);
  });

  it("counts nested tool_result images and documents", () => {
    const image = {
      type: "image" as const,
      source: { type: "base64" as const, media_type: "image/png", data: pngBase64(750, 100) },
    };
    const message = (content: unknown[]): CountTokensRequest =>
      countTokensRequestSchema.parse({ ...base, messages: [{ role: "user", content }] });
    const empty = countRequestTokens(message([{ type: "tool_result", tool_use_id: "t", content: [] }]));
    const nested = countRequestTokens(message([{ type: "tool_result", tool_use_id: "t", content: [image] }]));
    expect(nested - empty).toBe(100);
    const pdf = {
      type: "document",
      source: { type: "base64", media_type: "application/pdf", data: "A".repeat(40_000) },
    };
    expect(countRequestTokens(message([pdf]))).toBeGreaterThan(7_000);
  });

  it("downscales oversized images like Anthropic does", () => {
    expect(imageTokensForSize(1000, 1000)).toBe(1334);
    expect(imageTokensForSize(4000, 3000)).toBeLessThanOrEqual(1600);
    expect(imageTokensForSize(4000, 3000)).toBeGreaterThan(1400);
    expect(imageTokensForSize(3000, 100)).toBe(Math.ceil((1568 * 52) / 750));
  });

  it("counts a real Claude Code request, tools included", () => {
    const request = loadFixture();
    const total = countRequestTokens(request);
    const toolsOnly = countRequestTokens({ ...request, system: undefined, messages: [] });
    const withoutTools = countRequestTokens({ ...request, tools: undefined });
    // ~77 KB of JSON (~17.9k raw o200k tokens): the 24 tool definitions are ~14.6k of the
    // ~17.4k total; system + messages ~2.8k. A count that skipped tools would fail here.
    expect(toolsOnly).toBeGreaterThan(12_000);
    expect(withoutTools).toBeGreaterThan(2_000);
    expect(withoutTools).toBeLessThan(5_000);
    expect(total).toBeGreaterThan(15_000);
    expect(total).toBeLessThan(21_000);
  });
});
