import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AgentSession, AgentsOverview, Page } from '../api/types';
import { fakeApi, renderAt } from '../test-support';
import AgentsPage from './AgentsPage';

function agent(id: string, extra: Partial<AgentSession>): AgentSession {
  return {
    _id: id, issueId: 'i1', status: 'coding', issueTitle: `Issue of ${id}`, createdAt: '2026-12-07T10:00:00Z',
    startedAt: '2026-12-07T10:00:00Z', completedAt: null, costUsd: null, error: null, prUrl: null, prNumber: null,
    stopRequested: null, usage: null, ...extra,
  };
}

const OVERVIEW: AgentsOverview = {
  active: [agent('run1', { usage: { inputTokens: 12_300, outputTokens: 450, costUsd: 0.0375 } })],
  queue: [agent('wait1', { status: 'queued', startedAt: null })],
  stats: { running: 1, queued: 1, done: 1, failed: 1, falseAlarm: 0, totalCostUsd: 2 },
};

const FIRST: Page<AgentSession> = {
  items: [agent('done1', { status: 'done', completedAt: '2026-12-07T10:12:30Z', costUsd: 1.5,
    prUrl: 'https://github.com/o/r/pull/4', prNumber: 4,
    usage: { inputTokens: 900, outputTokens: 80, costUsd: 1.5 } })],
  nextCursor: 'c1',
};
const SECOND: Page<AgentSession> = {
  items: [agent('fail1', { status: 'failed', completedAt: '2026-12-07T10:01:00Z', costUsd: 0.5,
    error: 'Stopped by an admin' })],
  nextCursor: null,
};

/** A socket that never opens: the list is read from the api alone here. */
class SilentSocket {
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  close() {}
}

beforeEach(() => {
  vi.stubGlobal('WebSocket', SilentSocket);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-07T10:02:05Z'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the agents list', () => {
  it('shows running, queued and finished agents with phase, elapsed time, dollars, tokens and PR', async () => {
    fakeApi({ '/api/agents': OVERVIEW, '/api/agents/finished': FIRST });
    renderAt('/agents', [{ path: '/agents', element: <AgentsPage /> }]);
    const running = (await screen.findByText('Issue of run1')).closest('tr')!;
    expect(within(running).getByText('Coding')).toBeInTheDocument();
    expect(running).toHaveTextContent('2:05');
    expect(running).toHaveTextContent('$0.0375');
    expect(running).toHaveTextContent('12k / 450');
    const queued = screen.getByText('Issue of wait1').closest('tr')!;
    expect(within(queued).getByText('Queued')).toBeInTheDocument();
    const done = (await screen.findByText('Issue of done1')).closest('tr')!;
    expect(done).toHaveTextContent('12:30');
    expect(done).toHaveTextContent('$1.50');
    expect(within(done).getByRole('link', { name: /#4/ })).toHaveAttribute('href', 'https://github.com/o/r/pull/4');
    expect(screen.getByText(/1 running · 1 queued · 1 done · 1 failed/)).toHaveTextContent('$2.04 in all');
  });

  it('pages the finished agents on the api cursor', async () => {
    const calls = fakeApi({
      '/api/agents': OVERVIEW,
      '/api/agents/finished': (url: string) => (url.includes('cursor=c1') ? SECOND : FIRST),
    });
    renderAt('/agents', [{ path: '/agents', element: <AgentsPage /> }]);
    await screen.findByText('Issue of done1');
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    const failed = (await screen.findByText('Issue of fail1')).closest('tr')!;
    expect(failed).toHaveTextContent('Stopped by an admin');
    expect(failed).toHaveTextContent('$0.50');
    expect(screen.getByRole('heading', { name: 'Finished (2)' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(calls.filter((url) => url.startsWith('/api/agents/finished')))
      .toEqual(['/api/agents/finished?limit=25', '/api/agents/finished?limit=25&cursor=c1']);
  });
});
