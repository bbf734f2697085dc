import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderAt } from '../../test-support';
import NotificationsSettings from './NotificationsSettings';
import { channelRequest, validateChannel, type ChannelForm } from './notificationEvents';

const RIGHT = 'right-password';
/** For the flows of many steps: they took up to 6 s at load 40 on 2 cores, past vitest's 5 s default. */
const FLOW = 20_000;

const SLACK = {
  _id: 'c1', type: 'slack', name: '#incidents', url: '••••wxyz', secret: null,
  events: ['issue.red', 'agent.failed'], quiet: true, paused: false, pausedReason: null, consecutiveFailures: 0,
  lastDelivery: { at: '2026-12-07T09:00:00Z', ok: true, status: 200, error: null }, createdAt: '2026-12-01T00:00:00Z',
};
const HOOK = {
  _id: 'c2', type: 'webhook', name: null, url: '••••/hk1', secret: '••••abcd',
  events: ['pr.opened'], quiet: false, paused: true, pausedReason: '5 deliveries failed in a row: HTTP 500',
  consecutiveFailures: 5,
  lastDelivery: { at: '2026-12-07T09:05:00Z', ok: false, status: 500, error: 'HTTP 500 from the receiver' },
  createdAt: '2026-12-01T00:00:00Z',
};
const RECENT = [{
  _id: 'issue.red:i1', event: 'issue.red', subjectId: 'i1', at: '2026-12-07T09:00:00Z',
  deliveries: [
    { channelId: 'c1', channelName: '#incidents', state: 'sent', attempts: 1 },
    { channelId: 'c2', channelType: 'webhook', state: 'failed', attempts: 3, lastError: 'HTTP 404 Not Found' },
  ],
}, {
  _id: 'issue.users:i1:100', event: 'issue.users', subjectId: 'i1', at: '2026-12-07T08:30:00Z',
  facts: { threshold: 100, users: 100 }, deliveries: [],
}, {
  _id: 'agent.failed:a1', event: 'agent.failed', subjectId: 'a1', at: '2026-12-07T08:00:00Z',
  deliveries: [{ channelId: 'c1', channelName: '#incidents', state: 'quieted', attempts: 0 }],
}];

interface Call { method: string; url: string; body: unknown }

/** The notifications api as the contract says: open reads, admin writes, channels kept in a list, a 502 test result. */
function fakeNotificationsApi(channels: Record<string, unknown>[] = [{ ...SLACK }, { ...HOOK }]) {
  const calls: Call[] = [];
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    if (method !== 'GET' && new Headers(init.headers).get('Authorization') !== `Bearer ${RIGHT}`) {
      return json({ error: 'Wrong admin password', field: null }, 401);
    }
    const body = init.body ? JSON.parse(init.body as string) : null;
    calls.push({ method, url, body });
    if (method === 'GET' && url === '/api/notifications/channels') return json(channels);
    if (method === 'GET' && url.startsWith('/api/notifications?')) return json(RECENT);
    if (method === 'POST' && url === '/api/notifications/channels') {
      if (body.url.includes('bad')) return json({ error: 'url must be https', field: 'url' }, 400);
      const made = { ...SLACK, name: null, ...body, _id: 'c3', url: `••••${body.url.slice(-4)}`, secret: body.secret ? '••••' : null };
      channels.push(made);
      return json(made, 201);
    }
    const test = url.match(/channels\/(\w+)\/test$/);
    if (test) {
      return test[1] === 'c1' ? json({ ok: true, status: 200 })
        : json({ ok: false, status: 500, error: 'HTTP 500 from the receiver' }, 502);
    }
    const resume = url.match(/channels\/(\w+)\/resume$/);
    if (resume) {
      const channel = channels.find((c) => c._id === resume[1])!;
      Object.assign(channel, { paused: false, pausedReason: null });
      return json(channel);
    }
    const remove = url.match(/channels\/(\w+)$/);
    if (method === 'PATCH' && remove) {
      const channel = channels.find((c) => c._id === remove[1])!;
      Object.assign(channel, body);
      return json(channel);
    }
    if (method === 'DELETE' && remove) {
      channels.splice(channels.findIndex((c) => c._id === remove[1]), 1);
      return new Response(null, { status: 204 });
    }
    return json({ error: `No route ${method} ${url}`, field: null }, 404);
  }));
  return calls;
}

/** Pastes a value: typing a URL key by key takes seconds on a loaded 2-core CI machine. */
async function fill(field: HTMLElement, value: string) {
  await userEvent.click(field);
  await userEvent.paste(value);
}

/** The page with the add-channel form open on a webhook to `url`; the api's calls so far. */
async function webhookFormWithUrl(url: string) {
  const calls = fakeNotificationsApi();
  show();
  await userEvent.click(await screen.findByRole('button', { name: 'Add channel' }));
  await userEvent.click(screen.getByLabelText('Webhook (signed JSON)'));
  await fill(screen.getByLabelText('URL'), url);
  return calls;
}

function show() {
  renderAt('/settings', [
    { path: '/settings', element: <NotificationsSettings /> },
    { path: '/issues/:id', element: <p>issue page</p> },
  ]);
}

beforeEach(() => {
  sessionStorage.clear();
  sessionStorage.setItem('truffles.adminPassword', RIGHT);
});
afterEach(() => vi.unstubAllGlobals());

describe('the notifications settings', () => {
  it('lists each channel masked, with its events in words, a paused one with its reason and the last delivery', async () => {
    fakeNotificationsApi();
    show();
    const slack = (await screen.findByText('#incidents')).closest('tr')!;
    expect(slack).toHaveTextContent('••••wxyz');
    expect(slack).toHaveTextContent('New red issue, Agent failed');
    expect(slack).toHaveTextContent('Active');
    expect(slack).toHaveTextContent('delivered (HTTP 200)');
    const hook = screen.getByText('••••/hk1').closest('tr')!;
    expect(hook).toHaveTextContent('secret ••••abcd');
    expect(hook).toHaveTextContent('Paused: 5 deliveries failed in a row: HTTP 500');
    expect(hook).toHaveTextContent('failed (HTTP 500)');
    expect(within(slack).queryByRole('button', { name: /Resume/ })).toBeNull();
  }, FLOW);

  it('shows the recent notifications with each delivery state and a link to the issue', async () => {
    fakeNotificationsApi();
    show();
    const red = (await screen.findByText('New red issue', { selector: 'td' })).closest('tr')!;
    expect(red).toHaveTextContent('#incidents: sent · 1 attempt');
    expect(red).toHaveTextContent('webhook: failed · 3 attempts · HTTP 404 Not Found');
    expect(within(red).getByRole('link', { name: 'issue' })).toHaveAttribute('href', '/issues/i1');
    expect(screen.getByText('Problem reached 100 users').closest('tr')).toHaveTextContent('no channel takes this event');
    const agent = screen.getByText('Agent failed', { selector: 'td' }).closest('tr')!;
    expect(agent).toHaveTextContent('quieted (one per problem per hour)');
    expect(within(agent).getByRole('link', { name: 'agent' })).toHaveAttribute('href', '/agents/a1');
  });

  it('refuses a webhook without its secret before sending anything', async () => {
    const calls = await webhookFormWithUrl('https://hooks.example.com/truffles');
    await userEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByText('A webhook needs a secret: Truffles signs every message with it')).toBeInTheDocument();
    expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0);
  }, FLOW);

  it('adds a webhook with its secret and the chosen events, and lists it masked', async () => {
    const calls = await webhookFormWithUrl('https://hooks.example.com/truffles');
    await fill(screen.getByLabelText('Signing secret'), 's3cret-value');
    await userEvent.click(screen.getByLabelText('PR merged'));
    await userEvent.click(screen.getByLabelText('New red issue'));
    await userEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText(/Added Webhook/)).toBeInTheDocument();
    expect(calls.find((call) => call.method === 'POST')!.body).toEqual({
      type: 'webhook', url: 'https://hooks.example.com/truffles', secret: 's3cret-value',
      events: ['issue.users', 'pr.merged', 'agent.failed', 'budget.reached'], quiet: true,
    });
    expect(await screen.findByText('••••fles')).toBeInTheDocument();
    expect(sessionStorage.length).toBe(1);
    expect(localStorage.length).toBe(0);
  }, FLOW);

  it('adds a channel that is not quiet when the box is unticked', async () => {
    const calls = fakeNotificationsApi();
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Add channel' }));
    await fill(screen.getByLabelText('URL'), 'https://hooks.slack.com/services/T/B/loud');
    const quiet = screen.getByLabelText('Quiet: news of a problem at most once an hour');
    expect(quiet).toBeChecked();
    await userEvent.click(quiet);
    await userEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText(/Added Slack/)).toBeInTheDocument();
    expect(calls.find((call) => call.method === 'POST')!.body).toMatchObject({ quiet: false });
    expect(await screen.findByRole('checkbox', { name: 'Quiet rule for Slack' })).not.toBeChecked();
  }, FLOW);

  it('shows whether each channel is quiet and toggles it through the api', async () => {
    const calls = fakeNotificationsApi();
    show();
    const slack = await screen.findByRole('checkbox', { name: 'Quiet rule for #incidents' });
    expect(slack).toBeChecked();
    expect(slack.closest('td')).toHaveTextContent('Quiet: once an hour per problem');
    const hook = screen.getByRole('checkbox', { name: 'Quiet rule for Webhook' });
    expect(hook).not.toBeChecked();
    expect(hook.closest('td')).toHaveTextContent('Every message');
    await userEvent.click(slack);
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Quiet rule for #incidents' })).not.toBeChecked());
    expect(calls.filter((call) => call.method === 'PATCH')).toEqual([
      { method: 'PATCH', url: '/api/notifications/channels/c1', body: { quiet: false } },
    ]);
  }, FLOW);

  it("edits a channel's events, refusing none, and saves them in the api order", async () => {
    const calls = fakeNotificationsApi();
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Edit events of #incidents' }));
    const editor = screen.getByRole('group', { name: 'Events of #incidents' });
    await userEvent.click(within(editor).getByLabelText('New red issue'));
    await userEvent.click(within(editor).getByLabelText('Agent failed'));
    expect(within(editor).getByText('Pick at least one event')).toBeInTheDocument();
    expect(within(editor).getByRole('button', { name: 'Save events of #incidents' })).toBeDisabled();
    await userEvent.click(within(editor).getByLabelText('PR merged'));
    await userEvent.click(within(editor).getByLabelText('New red issue'));
    await userEvent.click(within(editor).getByRole('button', { name: 'Save events of #incidents' }));
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Events of #incidents' })).toBeNull());
    expect(screen.getByText('#incidents').closest('tr')).toHaveTextContent('New red issue, PR merged');
    expect(calls.filter((call) => call.method === 'PATCH').map((call) => call.body))
      .toEqual([{ events: ['issue.red', 'pr.merged'] }]);
  }, FLOW);

  it("shows the api's refusal of a URL beside the field and keeps what was typed", async () => {
    fakeNotificationsApi();
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Add channel' }));
    await fill(screen.getByLabelText('URL'), 'http://bad.example.com/x');
    await userEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText('url must be https')).toBeInTheDocument();
    expect(screen.getByLabelText('URL')).toHaveValue('http://bad.example.com/x');
  }, FLOW);

  it('sends a test message and shows the result, delivered or failed with the reason', async () => {
    fakeNotificationsApi();
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Send test message to #incidents' }));
    expect(await screen.findByText('Test message delivered (HTTP 200).')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Send test message to Webhook' }));
    expect(await screen.findByText('Test message failed: HTTP 500 from the receiver')).toBeInTheDocument();
  });

  it('resumes a paused channel', async () => {
    const calls = fakeNotificationsApi();
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Resume Webhook' }));
    await waitFor(() => expect(screen.queryByText(/^Paused/)).toBeNull());
    expect(calls.some((call) => call.method === 'POST' && call.url === '/api/notifications/channels/c2/resume'))
      .toBe(true);
  });

  it('deletes a channel only after the confirmation, and keeping it deletes nothing', async () => {
    const calls = fakeNotificationsApi();
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Delete #incidents' }));
    await userEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Delete #incidents' }));
    await userEvent.click(within(screen.getByRole('group', { name: 'Confirm deleting #incidents' }))
      .getByRole('button', { name: 'Delete channel' }));
    await waitFor(() => expect(screen.queryByText('#incidents', { selector: 'th' })).toBeNull());
    expect(calls.filter((call) => call.method === 'DELETE').map((call) => call.url))
      .toEqual(['/api/notifications/channels/c1']);
  }, FLOW);

  it('asks for the password again when the api refuses the held one, and resumes with the right one', async () => {
    const calls = fakeNotificationsApi();
    sessionStorage.setItem('truffles.adminPassword', 'stale');
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Resume Webhook' }));
    expect(await screen.findByText('Wrong admin password')).toBeInTheDocument();
    expect(sessionStorage.getItem('truffles.adminPassword')).toBeNull();
    await fill(screen.getByLabelText(/Password/), RIGHT);
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.queryByText(/^Paused/)).toBeNull());
    expect(calls.filter((call) => call.url.endsWith('/resume'))).toHaveLength(1);
  }, FLOW);
});

describe('the add-channel form rules', () => {
  const form = (changes: Partial<ChannelForm>): ChannelForm => ({
    type: 'slack', name: '', url: 'https://hooks.slack.com/services/T/B/x', secret: '', events: ['issue.red'],
    quiet: true, ...changes,
  });

  it('refuses what is not an http(s) URL and an empty event list', () => {
    expect(validateChannel(form({ url: 'ftp://x' })).url).toBe('This is not an http(s) URL');
    expect(validateChannel(form({ url: 'not a url' })).url).toBe('This is not an http(s) URL');
    expect(validateChannel(form({ events: [] })).events).toBe('Pick at least one event');
    expect(validateChannel(form({}))).toEqual({});
  });

  it('sends no secret for Slack, and the events in the api order', () => {
    expect(channelRequest(form({ secret: 'left over', events: ['pr.merged', 'issue.red'], name: ' ops ' }))).toEqual({
      type: 'slack', url: 'https://hooks.slack.com/services/T/B/x', events: ['issue.red', 'pr.merged'], quiet: true,
      name: 'ops',
    });
  });
});
