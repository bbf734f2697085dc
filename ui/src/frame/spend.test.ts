import type { Stats } from '../api/types';
import { spendToday } from './spend';

function stats(models: number, agents: number, budget: number | null): Stats {
  return { sessions: {} as Stats['sessions'], issues: {} as Stats['issues'], agents: {}, spendTodayUsd: models + agents,
    modelSpendTodayUsd: models, agentSpendTodayUsd: agents, dailyModelBudgetUsd: budget };
}

describe("today's spend", () => {
  it('warns from 80 % of the daily budget, models and agents together', () => {
    expect(spendToday(stats(10, 5.99, 20)).warn).toBe(false);
    expect(spendToday(stats(10, 6, 20))).toMatchObject({ total: 16, share: 0.8, warn: true });
  });

  it('warns at any spend with a zero budget, and never without a budget', () => {
    expect(spendToday(stats(0.01, 0, 0)).warn).toBe(true);
    expect(spendToday(stats(0, 0, 0)).warn).toBe(false);
    expect(spendToday(stats(100, 0, null)).warn).toBe(false);
  });
});
