/**
 * Estimated cost of one request from the prices in the router config (`providers.<p>.pricing`).
 * A missing price, or a request whose tokens are unknown, has no cost: never a guess.
 */
import type { Price, RouterConfig } from "./config-schema.js";

/** The price of `model` at provider `providerName`: its own entry, else the provider's `*`. */
export function priceOf(config: RouterConfig, providerName: string, model: string): Price | undefined {
  const pricing = config.providers[providerName]?.pricing;
  if (!pricing) return undefined;
  return pricing[model] ?? pricing["*"];
}

/** US dollars, or undefined when the price or either token count is unknown. */
export function costUsd(
  price: Price | undefined,
  inputTokens: number | undefined,
  outputTokens: number | undefined,
): number | undefined {
  if (!price || inputTokens === undefined || outputTokens === undefined) return undefined;
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
