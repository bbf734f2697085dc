import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { IssueListItem, IssueStatus } from '../api/types';
import { fakeApi, renderAt } from '../test-support';
import {
  COLUMNS, columnOf, groupIntoColumns, issueFiltersFromSearch, issuesApiQuery, searchFromIssueFilters,
} from './board';
import IssuesPage from './IssuesPage';

let next = 0;
function issue(status: IssueStatus, users: number, sessions: number, extra: Partial<IssueListItem> = {}): IssueListItem {
  next += 1;
  return {
    _id: `issue${String(next).padStart(4, '0')}`, sessionId: 's1', severity: 'red', title: `Issue ${next}`,
    description: null, timestamp: 3, analysisSource: 'both', modelUsed: null, status, sessionCount: sessions,
    userCount: users, prUrl: null, prNumber: null, createdAt: `2026-11-20T10:00:0${next % 10}Z`, updatedAt: null,
    latestOccurrence: null, agent: null, ...extra,
  };
}

describe('the board', () => {
  it('has a column per stage, with screening in "detected" and every end state but merged in "closed"', () => {
    expect(COLUMNS.map((column) => column.key)).toEqual(['detected', 'queued', 'fixing', 'pr_open', 'merged', 'closed']);
    expect(columnOf('screening')).toBe('detected');
    expect(['false_alarm', 'fix_failed', 'pr_closed'].map((s) => columnOf(s as IssueStatus)))
      .toEqual(['closed', 'closed', 'closed']);
    expect(columnOf('merged')).toBe('merged');
  });

  it('puts each issue in its column, every column present, most users first then most sessions', () => {
    const few = issue('queued', 1, 9);
    const many = issue('queued', 5, 5);
    const manyMoreSessions = issue('queued', 5, 6);
    const failed = issue('fix_failed', 2, 2);
    const wrong = issue('false_alarm', 3, 3);
    const columns = groupIntoColumns([few, many, failed, manyMoreSessions, wrong]);
    expect(columns.queued.map((i) => i._id)).toEqual([manyMoreSessions._id, many._id, few._id]);
    expect(columns.closed.map((i) => i._id)).toEqual([wrong._id, failed._id]);
    expect(columns.detected).toEqual([]);
    expect(Object.keys(columns)).toEqual(COLUMNS.map((column) => column.key));
  });

  it('puts the red issue first between two that hurt the same users and sessions, whichever is newer', () => {
    const yellowNewer = issue('queued', 4, 4, { severity: 'yellow', createdAt: '2026-11-21T10:00:00Z' });
    const red = issue('queued', 4, 4, { severity: 'red', createdAt: '2026-11-20T10:00:00Z' });
    const yellowOlder = issue('queued', 4, 4, { severity: 'yellow', createdAt: '2026-11-19T10:00:00Z' });
    expect(groupIntoColumns([yellowOlder, yellowNewer, red]).queued.map((i) => i._id))
      .toEqual([red._id, yellowNewer._id, yellowOlder._id]);
  });

  it('keeps only known filters from the URL and sends them to the api', () => {
    const filters = issueFiltersFromSearch(new URLSearchParams('severity=red&status=exploded&source=video&x=1'));
    expect(filters).toEqual({ severity: 'red', status: '', source: 'video' });
    expect(searchFromIssueFilters(filters).toString()).toBe('severity=red&source=video');
    expect(issuesApiQuery({ ...filters, status: 'pr_open' }, 'abc', 200))
      .toBe('severity=red&status=pr_open&source=video&cursor=abc&limit=200');
  });

  it('renders each card in its column with the latest session at its moment, agent state and PR', async () => {
    const fixing = issue('fixing', 2, 3, {
      title: 'Save fails with a 500',
      latestOccurrence: { sessionId: 'sess42', userId: 'u', timestamp: 41.7, seenAt: null, thumbnailUrl: '/t.jpg' },
      agent: { _id: 'agent7', status: 'coding', costUsd: 0.4 },
    });
    const open = issue('pr_open', 1, 1, { title: 'Coupon button ignored', prUrl: 'https://github.com/o/r/pull/9',
      prNumber: 9 });
    const calls = fakeApi({ '/api/issues': { items: [fixing, open], nextCursor: null } });
    renderAt('/issues?severity=red', [{ path: '/issues', element: <IssuesPage /> }]);
    const column = await screen.findByRole('list', { name: 'Fixing' });
    const card = within(column).getByRole('listitem');
    expect(within(card).getByRole('link', { name: 'Save fails with a 500' })).toHaveAttribute('href', `/issues/${fixing._id}`);
    expect(within(card).getByRole('link', { name: /latest session at 0:41/ })).toHaveAttribute('href', '/sessions/sess42?t=41');
    expect(within(card).getByText(/Agent coding · \$0\.40/)).toBeInTheDocument();
    expect(within(card).getByText('2 users · 3 sessions')).toBeInTheDocument();
    const prColumn = screen.getByRole('list', { name: 'PR open' });
    expect(within(prColumn).getByRole('link', { name: 'PR #9' })).toHaveAttribute('href', 'https://github.com/o/r/pull/9');
    expect(calls[0]).toBe('/api/issues?severity=red&limit=200');
  });

  it('writes a changed filter into the URL and asks the api with it', async () => {
    const calls = fakeApi({ '/api/issues': { items: [issue('queued', 1, 1)], nextCursor: null } });
    const router = renderAt('/issues?severity=red', [{ path: '/issues', element: <IssuesPage /> }]);
    await screen.findByRole('list', { name: 'Queued' });
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'pr_open');
    expect(router.state.location.search).toBe('?severity=red&status=pr_open');
    await waitFor(() => expect(calls).toContain('/api/issues?severity=red&status=pr_open&limit=200'));
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(router.state.location.search).toBe('');
  });
});
