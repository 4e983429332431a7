/**
 * The Responses tool list, flattened into the one-level list of function tools a backend
 * takes, with the way back. `function` and `custom` tools keep their names; tools inside a
 * `namespace` are lifted out (prefixed with the namespace only when a bare name would clash);
 * hosted tools (`web_search`, `tool_search`, …) are dropped. Names a backend would reject are
 * shortened by the shared tool-name map, and every name the model calls maps back to the
 * client's tool, its kind and its namespace.
 */
import { createToolNameMap } from "../translate/tool-names.js";
import type { CustomTool, CustomToolFormat, FunctionTool, ResponsesTool } from "./request-schema.js";

export type ToolKind = "function" | "custom";

export interface ToolEntry {
  kind: ToolKind;
  name: string;
  namespace?: string;
  upstreamName: string;
  description?: string;
  /** A function tool's JSON Schema. */
  parameters?: Record<string, unknown>;
  /** A custom tool's input format (free text, or a grammar). */
  format?: CustomToolFormat;
}

export type ClientTool = Pick<ToolEntry, "kind" | "name" | "namespace">;

export interface ToolTable {
  readonly entries: readonly ToolEntry[];
  /** Hosted tools that were left out, by name (or type). */
  readonly dropped: readonly string[];
  /** The client's tool behind a name the model called; unknown names come back as functions. */
  fromUpstream(upstreamName: string): ClientTool;
  /** The name sent upstream for a client tool, including tools in history no longer offered. */
  toUpstream(name: string, namespace?: string | null): string;
}

const DEFAULT_NAMESPACE = "functions";

/** Separates a namespace from a tool name when the bare name is taken. */
export const NAMESPACE_SEPARATOR = "__";

export function buildToolTable(tools: readonly ResponsesTool[], maxNameLength: number): ToolTable {
  const { flat, dropped } = flatten(tools);
  const bareCount = new Map<string, number>();
  for (const tool of flat) bareCount.set(tool.name, (bareCount.get(tool.name) ?? 0) + 1);
  const preferred = (tool: { name: string; namespace?: string }) =>
    tool.namespace && (bareCount.get(tool.name) ?? 0) > 1
      ? `${tool.namespace}${NAMESPACE_SEPARATOR}${tool.name}`
      : tool.name;
  const names = createToolNameMap(flat.map(preferred), maxNameLength);
  const entries: ToolEntry[] = flat.map((tool) => ({
    ...tool,
    upstreamName: names.toUpstream(preferred(tool)),
  }));
  const byUpstream = new Map(entries.map((entry) => [entry.upstreamName, entry]));
  const byClient = new Map(
    entries.map((entry) => [clientKey(entry.name, entry.namespace), entry.upstreamName]),
  );
  return {
    entries,
    dropped,
    fromUpstream(upstreamName) {
      const entry = byUpstream.get(upstreamName);
      if (entry) return { kind: entry.kind, name: entry.name, namespace: entry.namespace };
      return { kind: "function", name: names.toClient(upstreamName) };
    },
    toUpstream(name, namespace) {
      return byClient.get(clientKey(name, namespace ?? undefined)) ?? names.toUpstream(name);
    },
  };
}

type FlatTool = Omit<ToolEntry, "upstreamName">;

function flatten(tools: readonly ResponsesTool[]): { flat: FlatTool[]; dropped: string[] } {
  const flat: FlatTool[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  const add = (tool: ResponsesTool, namespace?: string) => {
    if (tool.type === "namespace" && !namespace) {
      const group = tool as { name: string; tools: ResponsesTool[] };
      // `functions` is the default namespace (harmony's `functions.name`): its tools are top-level ones.
      for (const inner of group.tools) add(inner, group.name === DEFAULT_NAMESPACE ? undefined : group.name);
      return;
    }
    if (tool.type !== "function" && tool.type !== "custom") {
      const label = typeof tool.name === "string" && tool.name ? tool.name : tool.type;
      dropped.push(namespace ? `${namespace}.${label}` : label);
      return;
    }
    const key = clientKey(tool.name as string, namespace);
    if (seen.has(key)) return;
    seen.add(key);
    if (tool.type === "function") {
      const fn = tool as FunctionTool;
      flat.push({
        kind: "function",
        name: fn.name,
        ...(namespace ? { namespace } : {}),
        ...(fn.description ? { description: fn.description } : {}),
        ...(fn.parameters ? { parameters: fn.parameters } : {}),
      });
    } else {
      const custom = tool as CustomTool;
      flat.push({
        kind: "custom",
        name: custom.name,
        ...(namespace ? { namespace } : {}),
        ...(custom.description ? { description: custom.description } : {}),
        ...(custom.format ? { format: custom.format } : {}),
      });
    }
  };
  for (const tool of tools) add(tool);
  return { flat, dropped };
}

function clientKey(name: string, namespace: string | undefined): string {
  return namespace ? `${namespace}\u0000${name}` : name;
}
