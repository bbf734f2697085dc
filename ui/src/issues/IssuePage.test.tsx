import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AgentRun, IssueDetail } from '../api/types';
import { renderAt } from '../test-support';
import IssuePage from './IssuePage';

const RIGHT = 'right-password';

function run(extra: Partial<AgentRun>): AgentRun {
  return {
    _id: 'agent000000000000000000a', status: 'done', createdAt: '2026-11-20T10:00:00Z',
    startedAt: '2026-11-20T10:00:05Z', completedAt: '2026-11-20T10:09:00Z', costUsd: null, error: null, prUrl: null,
    prNumber: null, falseAlarmReason: null, ...extra,
  };
}

const ISSUE: IssueDetail = {
  _id: 'issue0000000000000000001', sessionId: 'sess000000000000000000a1', severity: 'red',
  title: 'Save fails with a 500', description: 'Clicking Save answers 500 and the cart is lost.', timestamp: 12.4,
  analysisSource: 'both', modelUsed: 'google/gemini-3-pro-preview', status: 'pr_open',
  occurrences: [
    { sessionId: 'sess000000000000000000a1', userId: 'ann@example.com', timestamp: 12.4,
      seenAt: '2026-11-20T10:00:00Z' },
    { sessionId: 'sess000000000000000000b2', userId: null, timestamp: 73.9, seenAt: '2026-11-21T10:00:00Z' },
  ],
  sessionCount: 2, userCount: 1, prUrl: 'https://github.com/o/r/pull/9', prNumber: 9,
  severityReason: 'the user loses the cart', llmReasoning: 'The save request fails and an error toast shows.',
  screeningPassed: true, screeningReasoning: 'Not a known false alarm', falseAlarmReason: null, lastError: null,
  costUsd: 0.031, evidence: [{ kind: 'network_failure', time: 11.8, detail: 'POST /api/cart 500' }],
  statusHistory: null, createdAt: '2026-11-20T10:00:00Z',
  agentSessions: [
    run({ _id: 'agent00000000000000000b01', status: 'coding', completedAt: null,
      usage: { inputTokens: 900, outputTokens: 120, costUsd: 0.42 } }),
    run({ _id: 'agent00000000000000000a02', status: 'failed', costUsd: 1.25, error: 'Tests still fail' }),
  ],
};

/** GET the issue; POST start with the admin password (401 without the right one). */
function fakeIssueApi(issue: IssueDetail) {
  const posts: { url: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit = {}) => {
    if ((init.method ?? 'GET') === 'GET') return new Response(JSON.stringify(issue), { status: 200 });
    if (new Headers(init.headers).get('Authorization') !== `Bearer ${RIGHT}`) {
      return new Response(JSON.stringify({ error: 'Wrong admin password', field: null }), { status: 401 });
    }
    posts.push({ url, body: JSON.parse(init.body as string) });
    return new Response(JSON.stringify(run({ status: 'queued' })), { status: 200 });
  }));
  return posts;
}

beforeEach(() => sessionStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('the issue page', () => {
  it('shows the description, why, how it was found, the evidence and the PR with its state', async () => {
    fakeIssueApi(ISSUE);
    renderAt(`/issues/${ISSUE._id}`, [{ path: '/issues/:id', element: <IssuePage /> }]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Save fails with a 500' })).toBeInTheDocument();
    expect(screen.getByText('Clicking Save answers 500 and the cart is lost.')).toBeInTheDocument();
    expect(screen.getByText('Why red: the user loses the cart')).toBeInTheDocument();
    expect(screen.getByText('google/gemini-3-pro-preview')).toBeInTheDocument();
    expect(screen.getByText('The save request fails and an error toast shows.')).toBeInTheDocument();
    expect(screen.getByText('Not a known false alarm')).toBeInTheDocument();
    const pr = screen.getByRole('region', { name: 'Pull request' });
    expect(within(pr).getByRole('link', { name: '#9' })).toHaveAttribute('href', 'https://github.com/o/r/pull/9');
    expect(pr).toHaveTextContent('open, waiting for review');
    const evidence = screen.getByRole('region', { name: 'Evidence' });
    expect(within(evidence).getByRole('link', { name: '0:11' }))
      .toHaveAttribute('href', `/sessions/${ISSUE.sessionId}?t=11`);
  });

  it('links every occurrence to its session at its moment', async () => {
    fakeIssueApi(ISSUE);
    renderAt(`/issues/${ISSUE._id}`, [{ path: '/issues/:id', element: <IssuePage /> }]);
    const occurrences = await screen.findByRole('region', { name: /Occurrences/ });
    const rows = within(occurrences).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('ann@example.com')).toBeInTheDocument();
    const href = (row: HTMLElement, name: string) => within(row).getByRole('link', { name }).getAttribute('href');
    expect(href(rows[0], '0:12')).toBe('/sessions/sess000000000000000000a1?t=12');
    expect(within(rows[1]).getByText('anonymous')).toBeInTheDocument();
    expect(href(rows[1], '1:13')).toBe('/sessions/sess000000000000000000b2?t=73');
    expect(href(rows[1], '000000b2')).toBe('/sessions/sess000000000000000000b2?t=73');
  });

  it('lists every agent run with its outcome and its cost in dollars, so far while it runs', async () => {
    fakeIssueApi(ISSUE);
    renderAt(`/issues/${ISSUE._id}`, [{ path: '/issues/:id', element: <IssuePage /> }]);
    const runs = await screen.findByRole('region', { name: 'Agent runs' });
    const [running, failed] = within(runs).getAllByRole('row').slice(1);
    expect(running).toHaveTextContent('Agent coding');
    expect(running).toHaveTextContent('$0.42 so far');
    expect(within(running).getByRole('link', { name: '00000b01' })).toHaveAttribute('href',
      '/agents/agent00000000000000000b01');
    expect(failed).toHaveTextContent('Agent failed');
    expect(failed).toHaveTextContent('Tests still fail');
    expect(failed).toHaveTextContent('$1.25');
    expect(failed).not.toHaveTextContent('so far');
  });

  it('starts an agent through POST /api/agents/start, asking for the password first', async () => {
    const idle = { ...ISSUE, status: 'detected' as const, agentSessions: [ISSUE.agentSessions[1]] };
    const posts = fakeIssueApi(idle);
    renderAt(`/issues/${ISSUE._id}`, [{ path: '/issues/:id', element: <IssuePage /> }]);
    await userEvent.click(await screen.findByRole('button', { name: 'Start an agent' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Password/), 'wrong');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Wrong admin password');
    expect(within(dialog).getByLabelText(/Password/)).toHaveValue('wrong');
    await userEvent.clear(within(dialog).getByLabelText(/Password/));
    await userEvent.type(within(dialog).getByLabelText(/Password/), RIGHT);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(await screen.findByText(/Agent queued/)).toBeInTheDocument();
    await waitFor(() => expect(posts).toEqual([{ url: '/api/agents/start', body: {
      issueId: ISSUE._id, issueTitle: ISSUE.title, issueDescription: ISSUE.description, severity: 'red' } }]));
  });

  it('offers no second agent while one is live', async () => {
    fakeIssueApi({ ...ISSUE, status: 'fixing' });
    renderAt(`/issues/${ISSUE._id}`, [{ path: '/issues/:id', element: <IssuePage /> }]);
    expect(await screen.findByRole('button', { name: 'Start an agent' })).toBeDisabled();
  });
});
