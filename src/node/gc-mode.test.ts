import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../router/config/resolve-config.js";
import { gcMode, groveNodeFlags, missingNodeFlags, SINGLE_THREADED_GC } from "./gc-mode.js";

describe("gcMode", () => {
  it("is single on machines with two CPUs or fewer, parallel above", () => {
    expect(gcMode({}, 1)).toBe("single");
    expect(gcMode({}, 2)).toBe("single");
    expect(gcMode({}, 3)).toBe("parallel");
    expect(gcMode({ GROVE_GC: "" }, 16)).toBe("parallel");
  });

  it("follows GROVE_GC either way", () => {
    expect(gcMode({ GROVE_GC: "parallel" }, 2)).toBe("parallel");
    expect(gcMode({ GROVE_GC: " single " }, 16)).toBe("single");
  });

  it("refuses a GROVE_GC it does not know, naming the variable", () => {
    expect(() => gcMode({ GROVE_GC: "Single" }, 2)).toThrow(ConfigError);
    expect(() => gcMode({ GROVE_GC: "off" }, 2)).toThrow(
      'GROVE_GC: must be "single" or "parallel" (or unset: single on machines with 2 CPUs or fewer), not "off"',
    );
  });
});

describe("node flags", () => {
  it("are the GC flag in single mode and none in parallel mode", () => {
    expect(groveNodeFlags({}, 2)).toEqual([SINGLE_THREADED_GC]);
    expect(groveNodeFlags({}, 8)).toEqual([]);
  });

  it("are missing unless given, and never asked for under a debugger", () => {
    expect(missingNodeFlags([], {}, 2)).toEqual([SINGLE_THREADED_GC]);
    expect(missingNodeFlags(["--import", "tsx"], {}, 2)).toEqual([SINGLE_THREADED_GC]);
    expect(missingNodeFlags([SINGLE_THREADED_GC], {}, 2)).toEqual([]);
    expect(missingNodeFlags(["--inspect=9230"], {}, 2)).toEqual([]);
    expect(missingNodeFlags([], { GROVE_GC: "parallel" }, 2)).toEqual([]);
  });

  it("are flags this node accepts on its command line", () => {
    const run = spawnSync(process.execPath, [...groveNodeFlags({ GROVE_GC: "single" }), "-e", "0"], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
