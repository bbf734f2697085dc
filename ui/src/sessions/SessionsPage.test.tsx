import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import SessionsPage from './SessionsPage';
import { fakeApi, renderAt } from '../test-support';
import type { SessionListItem } from '../api/types';

function session(overrides: Partial<SessionListItem>): SessionListItem {
  return {
    _id: '6745d1c2e4b0a1b2c3d4e5f6', posthogSessionId: 'ph-1', userId: 'u-1', userEmail: 'ana@example.com',
    startTime: '2026-11-20T10:00:00Z', duration: 3725, thumbnailUrl: 'http://s3/thumb.jpg?X-Amz-Signature=x',
    status: 'complete', issueCount: { red: 2, yellow: 1 }, lastError: null, source: 'inbox', snapshotSource: 'web',
    createdAt: '2026-11-20T10:05:00Z', updatedAt: '2026-11-20T10:06:00Z', videoDuration: 100,
    consoleErrorCount: 3, networkFailureCount: 1, errorCount: 4, firstUrl: 'https://shop.example.com/checkout',
    ...overrides,
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('the sessions list', () => {
  it('shows a card per session with its thumbnail, user, duration, first URL, status and counts', async () => {
    fakeApi({ '/api/sessions': { items: [session({})], nextCursor: null } });
    renderAt('/', [{ path: '/', element: <SessionsPage /> }]);
    const card = (await screen.findByRole('link', { name: /Session of ana@example.com/ }));
    expect(card).toHaveAttribute('href', '/sessions/6745d1c2e4b0a1b2c3d4e5f6');
    const box = within(card);
    expect(box.getByText('1:02:05')).toBeInTheDocument();
    expect(box.getByText('shop.example.com/checkout')).toBeInTheDocument();
    expect(box.getByText('Complete')).toBeInTheDocument();
    expect(box.getByText('2 red')).toBeInTheDocument();
    expect(box.getByText('3 console errors')).toBeInTheDocument();
    expect(box.getByText('1 failed request')).toBeInTheDocument();
    const image = card.querySelector('img')!;
    expect(image).toHaveAttribute('loading', 'lazy');
    expect(image).toHaveAttribute('width', '320');
    expect(image).toHaveAttribute('height', '180');
  });

  it('shows a failed session with its error', async () => {
    fakeApi({ '/api/sessions': { items: [session({ status: 'failed', lastError: 'ffmpeg exited with 1' })],
      nextCursor: null } });
    renderAt('/', [{ path: '/', element: <SessionsPage /> }]);
    expect(await screen.findByText('ffmpeg exited with 1')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Session of .*, failed/ })).toBeInTheDocument();
  });

  it('shows a session held by a spending cap as waiting, with the reason', async () => {
    const reason = "Today's model budget is reached: $20.40 of $20.00 (dailyModelBudgetUsd); resumes after 00:00 UTC "
      + 'or when an admin raises the cap.';
    fakeApi({ '/api/sessions': { items: [session({ status: 'analyzing', waitingReason: reason })], nextCursor: null } });
    renderAt('/', [{ path: '/', element: <SessionsPage /> }]);
    expect(await screen.findByText(`waiting: ${reason}`)).toBeInTheDocument();
  });

  it('tells a newcomer where the inbox folder is when there is no session', async () => {
    fakeApi({
      '/api/sessions': { items: [], nextCursor: null },
      '/api/sessions/source': { source: 'inbox', inboxPath: '/srv/truffles/data/inbox' },
    });
    renderAt('/', [{ path: '/', element: <SessionsPage /> }]);
    expect(await screen.findByText('No sessions yet')).toBeInTheDocument();
    expect(await screen.findByText('/srv/truffles/data/inbox')).toBeInTheDocument();
    expect(screen.getByText('POSTHOG_API_KEY')).toBeInTheDocument();
  });

  it('keeps the filters in the URL and sends them to the api', async () => {
    const calls = fakeApi({ '/api/sessions': { items: [session({})], nextCursor: null } });
    const router = renderAt('/?status=failed', [{ path: '/', element: <SessionsPage /> }]);
    await screen.findByRole('link', { name: /Session of/ });
    expect(calls.some((url) => url.includes('status=failed'))).toBe(true);
    expect(screen.getByLabelText('Status')).toHaveValue('failed');
    await userEvent.selectOptions(screen.getByLabelText('Severity'), 'red');
    expect(router.state.location.search).toBe('?status=failed&severity=red');
    await waitFor(() => expect(calls.some((url) => url.includes('status=failed&severity=red'))).toBe(true));
  });

  it('loads the next page on the api cursor', async () => {
    fakeApi({
      '/api/sessions': (url: string) => url.includes('cursor=next')
        ? { items: [session({ _id: '6745d1c2e4b0a1b2c3d4e5f7', userEmail: 'bo@example.com' })], nextCursor: null }
        : { items: [session({})], nextCursor: 'next' },
    });
    renderAt('/', [{ path: '/', element: <SessionsPage /> }]);
    await userEvent.click(await screen.findByRole('button', { name: 'Load more sessions' }));
    expect(await screen.findByRole('link', { name: /Session of bo@example.com/ })).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: /Session of/ })).toHaveLength(2);
  });
});
