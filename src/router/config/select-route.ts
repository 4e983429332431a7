/**
 * Picks the chain of targets for one request. Precedence: an explicit `provider/model`
 * bypasses routing; then the scenario routes (longContext, image, background, think); then
 * the model map (exact name, then family); then the default route.
 */
import type { MessagesRequest } from "../../protocol/anthropic.js";
import type { ProviderConfig, Route, RouterConfig } from "./config-schema.js";

export interface Target {
  providerName: string;
  provider: ProviderConfig;
  /** The model sent upstream. */
  model: string;
}

export type RouteReason = "explicit" | "longContext" | "image" | "background" | "think" | "model" | "default";

export interface RouteDecision {
  targets: Target[];
  reason: RouteReason;
}

const FAMILIES = ["opus", "sonnet", "haiku"] as const;

export function selectRoute(
  config: RouterConfig,
  request: Pick<MessagesRequest, "model" | "thinking" | "messages">,
  estimateInputTokens: () => number,
): RouteDecision {
  const explicit = explicitTarget(config, request.model);
  if (explicit) return { targets: [explicit], reason: "explicit" };

  const { routes } = config;
  const pick = (route: Route, reason: RouteReason): RouteDecision => ({
    targets: expandRoute(config, route, request.model),
    reason,
  });
  if (routes.longContext && estimateInputTokens() > routes.longContextThreshold) {
    return pick(routes.longContext, "longContext");
  }
  if (routes.image && latestUserTurnHasImage(request.messages)) return pick(routes.image, "image");
  const model = request.model.toLowerCase();
  if (routes.background && model.includes("haiku")) return pick(routes.background, "background");
  if (routes.think && request.thinking?.type === "enabled") return pick(routes.think, "think");

  const models = routes.models ?? {};
  const exact = models[request.model];
  if (exact) return pick(exact, "model");
  const family = FAMILIES.find((name) => model.includes(name));
  const familyRoute = family ? models[family] : undefined;
  if (familyRoute) return pick(familyRoute, "model");
  return pick(routes.default, "default");
}

/**
 * `provider/model` where provider is configured; `openrouter/qwen/qwen3` keeps the rest as the
 * model. A bare provider name (`demo`) also picks that provider, with the name as the model.
 */
function explicitTarget(config: RouterConfig, model: string): Target | undefined {
  const slash = model.indexOf("/");
  if (slash === -1) {
    const provider = config.providers[model];
    return provider ? { providerName: model, provider, model } : undefined;
  }
  if (slash === 0) return undefined;
  const providerName = model.slice(0, slash);
  const provider = config.providers[providerName];
  if (!provider) return undefined;
  return { providerName, provider, model: model.slice(slash + 1) };
}

export function expandRoute(config: RouterConfig, route: Route, clientModel: string): Target[] {
  const targets = typeof route === "string" ? [route] : route;
  return targets.map((target) => {
    const slash = target.indexOf("/");
    const providerName = slash === -1 ? target : target.slice(0, slash);
    const model = slash === -1 ? clientModel : target.slice(slash + 1);
    // resolveRouterConfig has checked that every route names a configured provider.
    return { providerName, provider: config.providers[providerName]!, model };
  });
}

function latestUserTurnHasImage(messages: MessagesRequest["messages"]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== "user") continue;
    if (typeof message.content === "string") return false;
    return message.content.some(
      (block) =>
        block.type === "image" ||
        (block.type === "tool_result" &&
          Array.isArray((block as { content?: unknown }).content) &&
          (block as { content: { type: string }[] }).content.some((part) => part.type === "image")),
    );
  }
  return false;
}
