import { describe, expect, it } from "vitest";
import { createToolNameMap } from "./tool-names.js";

const valid = (max: number) => new RegExp(`^[A-Za-z0-9_-]{1,${max}}$`);

describe("createToolNameMap", () => {
  it("maps valid names to themselves", () => {
    const map = createToolNameMap(["Bash", "mcp__github__create_issue", "web-search"], 64);
    for (const name of ["Bash", "mcp__github__create_issue", "web-search"]) {
      expect(map.toUpstream(name)).toBe(name);
      expect(map.toClient(name)).toBe(name);
    }
  });

  it("replaces invalid characters with _ and restores the original", () => {
    const map = createToolNameMap(["mcp.server:tool", "résumé tool"], 64);
    expect(map.toUpstream("mcp.server:tool")).toBe("mcp_server_tool");
    expect(map.toUpstream("résumé tool")).toBe("r_sum__tool");
    expect(map.toClient("mcp_server_tool")).toBe("mcp.server:tool");
    expect(map.toClient("r_sum__tool")).toBe("résumé tool");
  });

  it("shortens long names to a prefix plus an 8-hex FNV-1a hash", () => {
    const long = `mcp__${"x".repeat(80)}`;
    const map = createToolNameMap([long], 64);
    const up = map.toUpstream(long);
    expect(up).toHaveLength(64);
    expect(up).toMatch(valid(64));
    expect(up).toMatch(/^mcp__x+_[0-9a-f]{8}$/);
    expect(map.toClient(up)).toBe(long);
  });

  it("uses the standard FNV-1a 32-bit hash of the original name", () => {
    const map = createToolNameMap([], 10);
    expect(map.toUpstream("")).toBe("_811c9dc5"); // FNV-1a("") is the offset basis
    const long = "tool.with.a.long.name";
    expect(map.toUpstream(long)).toBe(`t_${referenceFnv1a(long)}`);
  });

  it("is deterministic across maps (history is re-sent every request)", () => {
    const names = ["a.b", `long_${"y".repeat(100)}`, "Read"];
    const first = createToolNameMap(names, 64);
    const second = createToolNameMap(names, 64);
    for (const name of names) expect(second.toUpstream(name)).toBe(first.toUpstream(name));
  });

  it("never lets a rewritten name take a valid one", () => {
    const map = createToolNameMap(["a.b", "a_b"], 64);
    expect(map.toUpstream("a_b")).toBe("a_b");
    const up = map.toUpstream("a.b");
    expect(up).not.toBe("a_b");
    expect(up).toMatch(/^a_b_[0-9a-f]{8}$/);
    expect(map.toClient(up)).toBe("a.b");
    expect(map.toClient("a_b")).toBe("a_b");
  });

  it("disambiguates names that collide after sanitising", () => {
    const names = ["a.b", "a:b", "a b", "a/b"];
    const map = createToolNameMap(names, 64);
    const ups = names.map((n) => map.toUpstream(n));
    expect(new Set(ups).size).toBe(names.length);
    for (const [i, name] of names.entries()) expect(map.toClient(ups[i] ?? "")).toBe(name);
    // Same list, same answers.
    const again = createToolNameMap(names, 64);
    expect(names.map((n) => again.toUpstream(n))).toEqual(ups);
  });

  it("disambiguates long names sharing a prefix", () => {
    const names = Array.from({ length: 50 }, (_, i) => `${"p".repeat(70)}${i}`);
    const map = createToolNameMap(names, 64);
    const ups = names.map((n) => map.toUpstream(n));
    expect(new Set(ups).size).toBe(names.length);
    for (const up of ups) expect(up).toMatch(valid(64));
    for (const [i, name] of names.entries()) expect(map.toClient(ups[i] ?? "")).toBe(name);
  });

  it("passes unknown names through toClient", () => {
    const map = createToolNameMap(["a.b"], 64);
    expect(map.toClient("Unknown")).toBe("Unknown");
    expect(map.toClient("a.b")).toBe("a.b");
  });

  it("maps names outside the list consistently and reversibly", () => {
    const map = createToolNameMap(["Bash"], 64);
    expect(map.toUpstream("Old")).toBe("Old");
    expect(map.toUpstream("old.tool")).toBe("old_tool");
    expect(map.toClient("old_tool")).toBe("old.tool");
    // A valid unknown name seen first keeps its name; a later rewrite must not steal it.
    const map2 = createToolNameMap([], 64);
    expect(map2.toUpstream("x_y")).toBe("x_y");
    expect(map2.toUpstream("x.y")).not.toBe("x_y");
    // A valid name already used by a rewrite gets its own name.
    const map3 = createToolNameMap(["x.y"], 64);
    expect(map3.toUpstream("x.y")).toBe("x_y");
    const other = map3.toUpstream("x_y");
    expect(other).not.toBe("x_y");
    expect(map3.toClient(other)).toBe("x_y");
  });

  it("rejects a maxLength too small for the hash suffix", () => {
    expect(() => createToolNameMap([], 9)).toThrow(RangeError);
    expect(() => createToolNameMap([], 64.5)).toThrow(RangeError);
  });
});

/** An independent BigInt FNV-1a; "a" must give the published vector e40c292c. */
function referenceFnv1a(text: string): string {
  let hash = 0x811c9dc5n;
  for (let i = 0; i < text.length; i++) {
    hash = ((hash ^ BigInt(text.charCodeAt(i))) * 0x01000193n) % 2n ** 32n;
  }
  return hash.toString(16).padStart(8, "0");
}

describe("referenceFnv1a", () => {
  it("matches the published test vector", () => {
    expect(referenceFnv1a("a")).toBe("e40c292c");
    expect(referenceFnv1a("foobar")).toBe("bf9cf968");
  });
});
