import { act, screen, within } from '@testing-library/react';
import type { Stats } from '../api/types';
import { fakeApi, renderAt } from '../test-support';
import { Frame } from './Frame';

/** The browser's WebSocket as far as the feed uses it: the test says when it speaks or drops. */
class HeldSocket {
  static last: HeldSocket | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor() {
    HeldSocket.last = this;
  }
  close() {}
}

function stats(spentModels: number, spentAgents: number, budget: number | null): Stats {
  return {
    sessions: { pending: 1, rendering: 2, analyzing: 3, complete: 40, failed: 2 },
    issues: { detected: 1, screening: 1, queued: 1, fixing: 1, pr_open: 1, merged: 5, false_alarm: 2, fix_failed: 1,
      pr_closed: 0 },
    agents: { coding: 1, queued: 2, done: 4 },
    spendTodayUsd: spentModels + spentAgents, modelSpendTodayUsd: spentModels, agentSpendTodayUsd: spentAgents,
    dailyModelBudgetUsd: budget,
  };
}

async function header() {
  renderAt('/', [{ path: '/', element: <Frame /> }]);
  await screen.findByText('Processing');
  return screen.getByRole('banner');
}

beforeEach(() => vi.stubGlobal('WebSocket', HeldSocket));
afterEach(() => vi.unstubAllGlobals());

describe('the header', () => {
  it('counts every stage from /api/stats and shows today\'s spend against the daily budget', async () => {
    fakeApi({ '/api/stats': stats(3, 2.5, 20) });
    const banner = await header();
    const value = (term: string) => within(banner).getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(value('Processing')).toBe('6');
    expect(value('Complete')).toBe('40');
    expect(value('Failed')).toBe('2');
    expect(value('Open issues')).toBe('5');
    expect(value('Agents')).toBe('3');
    expect(value('Spend today')).toBe('$5.50 / $20.00');
    expect(within(banner).queryByText(/% of budget/)).not.toBeInTheDocument();
  });

  it('warns from 80 % of the daily budget', async () => {
    fakeApi({ '/api/stats': stats(10, 6, 20) });
    const banner = await header();
    expect(await within(banner).findByText(/80 % of budget/)).toBeInTheDocument();
    expect(within(banner).getByText('Spend today').parentElement).toHaveClass('spend-warn');
  });

  it('shows the live feed connecting, live, then reconnecting after a drop', async () => {
    fakeApi({ '/api/stats': stats(0, 0, 20) });
    const banner = await header();
    const indicator = within(banner).getByText(/Live feed:/).parentElement!;
    expect(indicator).toHaveTextContent('Live feed: Connecting…');
    const socket = HeldSocket.last!;
    act(() => socket.onmessage?.({ data: JSON.stringify({ type: 'snapshot', active: [], queued: [] }) }));
    expect(indicator).toHaveTextContent('Live feed: Live');
    act(() => socket.onclose?.({ code: 1006 }));
    expect(indicator).toHaveTextContent('Live feed: Reconnecting…');
  });
});
