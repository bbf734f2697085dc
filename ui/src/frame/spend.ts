import type { Stats } from '../api/types';

/** The header warns from this share of the daily budget. */
export const BUDGET_WARNING = 0.8;

export interface SpendToday {
  models: number;
  agents: number;
  total: number;
  budget: number | null;
  /** total / budget; null without a budget. */
  share: number | null;
  warn: boolean;
}

/**
 * Today's spend against the daily budget (`dailyModelBudgetUsd`). The budget stops the analyzer's model calls; agents
 * are counted against it too, so the warning comes before the whole day's spend passes what the admin meant to spend.
 */
export function spendToday(stats: Stats): SpendToday {
  const models = stats.modelSpendTodayUsd ?? 0;
  const agents = stats.agentSpendTodayUsd ?? 0;
  const total = stats.spendTodayUsd ?? models + agents;
  const budget = stats.dailyModelBudgetUsd ?? null;
  const share = budget === null ? null : budget > 0 ? total / budget : total > 0 ? Infinity : 0;
  return { models, agents, total, budget, share, warn: share !== null && share >= BUDGET_WARNING };
}
