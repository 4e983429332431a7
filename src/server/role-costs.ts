/**
 * What each pipeline role cost: its tokens priced by the router config's `pricing` for the
 * model the role ran on. A role whose model has no price has no cost, never a guess.
 */
import { agentRouterConfig } from "../agent/connect-model.js";
import type { PipelineState, Role } from "../orchestrator/pipeline/pipeline-state.js";
import type { RepoConfig } from "../orchestrator/repo-config.js";
import type { Task } from "../orchestrator/task-store.js";
import { costUsd, priceOf } from "../router/config/pricing.js";
import { selectRoute } from "../router/config/select-route.js";

export interface RoleCost {
  model: string | null;
  input: number;
  output: number;
  runs: number;
  costUsd: number | null;
}

export function roleCosts(
  task: Task,
  state: PipelineState,
  repoConfig: RepoConfig,
  env: NodeJS.ProcessEnv,
): Partial<Record<Role, RoleCost>> {
  const costs: Partial<Record<Role, RoleCost>> = {};
  for (const [role, usage] of Object.entries(state.usage) as [
    Role,
    NonNullable<PipelineState["usage"][Role]>,
  ][]) {
    const roles = repoConfig.pipeline.roles;
    const chosen = roles[role] ?? (role === "reviewer" ? roles.architect : undefined);
    const model = chosen?.model ?? task.model;
    costs[role] = { model, ...usage, costUsd: priceFor(model, usage, env) ?? null };
  }
  return costs;
}

function priceFor(
  model: string | null,
  usage: { input: number; output: number },
  env: NodeJS.ProcessEnv,
): number | undefined {
  try {
    const config = agentRouterConfig(model ?? "demo", env);
    const target = selectRoute(config, { model: model ?? "demo", messages: [] }, () => 0).targets[0];
    if (!target) return undefined;
    return costUsd(priceOf(config, target.providerName, target.model), usage.input, usage.output);
  } catch {
    return undefined; // No router config, or a model it cannot route: no price known.
  }
}
