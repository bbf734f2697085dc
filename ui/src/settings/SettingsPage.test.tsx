import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderAt } from '../test-support';
import SettingsPage from './SettingsPage';

const RIGHT = 'right-password';

const VIEW = {
  runtime: {
    maxConcurrentAgents: 3, agentTimeoutMinutes: 30, pollingIntervalSeconds: 60, rendererConcurrency: 2,
    dailyModelBudgetUsd: 20, videoModelPrimary: 'google/gemini-3-pro-preview', videoModelSecondary: 'openai/gpt-5',
    textModel: 'openai/gpt-5', screeningModel: 'openai/gpt-5', autoFixSeverities: ['red'],
  },
  secrets: { GITHUB_TOKEN: '••••5678', ADMIN_PASSWORD: 'set' },
  environment: { GITHUB_REPO: 'o/r' },
  envFile: '/srv/truffles/.env',
  limits: {
    numbers: { maxConcurrentAgents: { min: 0, max: 50 }, agentTimeoutMinutes: { min: 1, max: 1440 },
      pollingIntervalSeconds: { min: 10, max: 86400 }, rendererConcurrency: { min: 1, max: 16 },
      dailyModelBudgetUsd: { min: 0, max: 100000 } },
    models: ['screeningModel', 'textModel', 'videoModelPrimary', 'videoModelSecondary'],
    modelName: { maxLength: 200, pattern: '[A-Za-z0-9._:/@+-]+' },
    autoFixSeverities: ['red', 'yellow'],
  },
};

const COSTS = {
  from: '2026-11-08', to: '2026-12-07', totalUsd: 9, modelUsd: 3, agentUsd: 6,
  days: [{ day: '2026-12-07', modelUsd: 3, agentUsd: 6, totalUsd: 9 }],
  byModel: { 'claude-sonnet-4-5': 6, 'google/gemini-3-pro-preview': 3 },
  sessionMinutesAnalysed: 4, modelUsdPerSessionMinute: 0.75, issuesFixed: 2, agentUsdPerIssueFixed: 3,
};

/** The api as far as the page uses it: the auth filter on every POST, the settings, a runtime save. */
function fakeSettingsApi() {
  const posts: { url: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit = {}) => {
    if ((init.method ?? 'GET') === 'GET') {
      // the notifications section (its own tests in notifications/) asks for its channels and messages: none
      if (url.startsWith('/api/notifications')) return new Response(JSON.stringify([]), { status: 200 });
      return new Response(JSON.stringify(url.startsWith('/api/stats/costs') ? COSTS : VIEW), { status: 200 });
    }
    if (new Headers(init.headers).get('Authorization') !== `Bearer ${RIGHT}`) {
      return new Response(JSON.stringify({ error: 'Wrong admin password', field: null }), { status: 401 });
    }
    posts.push({ url, body: init.body ? JSON.parse(init.body as string) : null });
    if (url === '/api/settings/runtime' && JSON.parse(init.body as string).textModel === 'no/such-model') {
      return new Response(JSON.stringify({ error: 'textModel: no such model on OpenRouter', field: 'textModel' }),
        { status: 400 });
    }
    if (url === '/api/auth/check') return new Response(null, { status: 204 });
    if (url === '/api/settings/secrets') {
      // a restart that could not be done (no systemd here): the api says so and the value is still written
      return new Response(JSON.stringify({ written: ['GITHUB_TOKEN'], restartedUnits: ['truffles-poller',
        'truffles-agent-runner'], restartSucceeded: false, restartOutput: 'Restarted poller.\nUnit not found.',
      restarts: [{ unit: 'truffles-poller', state: 'restarted', output: 'Restarted poller.' },
        { unit: 'truffles-agent-runner', state: 'failed', output: 'Unit not found.' }] }), { status: 200 });
    }
    const saved = { ...VIEW.runtime, ...(JSON.parse(init.body as string)) };
    return new Response(JSON.stringify(saved), { status: 200 });
  }));
  return posts;
}

beforeEach(() => sessionStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('the settings page', () => {
  it('refuses a wrong password at its prompt, keeps nothing, and shows the forms for the right one', async () => {
    fakeSettingsApi();
    renderAt('/settings', [{ path: '/settings', element: <SettingsPage /> }]);
    await userEvent.type(screen.getByLabelText(/Password/), 'guess');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong admin password');
    expect(screen.queryByText('Runtime settings')).toBeNull();
    expect(sessionStorage.length).toBe(0);
    await userEvent.clear(screen.getByLabelText(/Password/));
    await userEvent.type(screen.getByLabelText(/Password/), RIGHT);
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('heading', { name: 'Runtime settings' })).toBeInTheDocument();
    expect(sessionStorage.getItem('truffles.adminPassword')).toBe(RIGHT);
    expect(localStorage.length).toBe(0);
    await userEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument();
    expect(sessionStorage.length).toBe(0);
  });

  it('flags a value past the api limit, then saves only what changed and says so', async () => {
    const posts = fakeSettingsApi();
    sessionStorage.setItem('truffles.adminPassword', RIGHT);
    renderAt('/settings', [{ path: '/settings', element: <SettingsPage /> }]);
    const field = await screen.findByLabelText('Max concurrent agents');
    await userEvent.clear(field);
    await userEvent.type(field, '51');
    expect(screen.getByText('Max concurrent agents must be from 0 to 50')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await userEvent.clear(field);
    await userEvent.type(field, '8');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Saved maxConcurrentAgents/)).toBeInTheDocument();
    await waitFor(() => expect(posts).toEqual([{ url: '/api/settings/runtime', body: { maxConcurrentAgents: 8 } }]));
  });

  it('sends a blank cap as no cap and the video policy with its sample, and shows the costs', async () => {
    const posts = fakeSettingsApi();
    sessionStorage.setItem('truffles.adminPassword', RIGHT);
    renderAt('/settings', [{ path: '/settings', element: <SettingsPage /> }]);
    const monthly = await screen.findByLabelText('Monthly budget (models + agents)');
    await userEvent.type(monthly, '400');
    await userEvent.selectOptions(screen.getByLabelText('Sessions the video models watch'), 'sampled');
    const sample = screen.getByLabelText('Sample of sessions without signals');
    await userEvent.type(sample, '101');
    expect(screen.getByText('Sample must be a whole number from 0 to 100')).toBeInTheDocument();
    await userEvent.clear(sample);
    await userEvent.type(sample, '10');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(posts).toEqual([{ url: '/api/settings/runtime',
      body: { monthlyBudgetUsd: 400, videoSessions: 'sampled', videoSamplePercent: 10 } }]));
    expect(await screen.findByText('$0.75 (4.0 min)')).toBeInTheDocument();
    expect(screen.getByText('$3.00 (2 reached a PR)')).toBeInTheDocument();
  });

  it('masks a secret to its last 4 characters, replaces it, and says per unit how its restart went', async () => {
    const posts = fakeSettingsApi();
    sessionStorage.setItem('truffles.adminPassword', RIGHT);
    renderAt('/settings', [{ path: '/settings', element: <SettingsPage /> }]);
    const row = (await screen.findByText('GITHUB_TOKEN')).closest('tr')!;
    expect(row).toHaveTextContent('••••5678');
    expect(screen.getByText('ADMIN_PASSWORD').closest('tr')).toHaveTextContent('set');
    await userEvent.click(screen.getByRole('button', { name: 'Replace GITHUB_TOKEN' }));
    const input = screen.getByLabelText('New GITHUB_TOKEN');
    expect(input).toHaveAttribute('type', 'password');
    await userEvent.type(input, 'ghp_new_token_9999');
    await userEvent.click(within(row).getByRole('button', { name: 'Save' }));
    const result = await screen.findByText(/Saved GITHUB_TOKEN to/);
    const box = result.closest('.restart-result')!;
    expect(box).toHaveTextContent('truffles-poller: restarted');
    expect(box).toHaveTextContent('truffles-agent-runner: not restartedUnit not found.');
    expect(box).toHaveTextContent('but truffles-agent-runner still runs with the old ones');
    expect(box).toHaveTextContent('run ./truffles restart truffles-agent-runner (or stop it');
    expect(box).toHaveTextContent('sudo systemctl restart truffles-agent-runner.');
    expect(posts).toEqual([{ url: '/api/settings/secrets', body: { GITHUB_TOKEN: 'ghp_new_token_9999' } }]);
    expect(localStorage.length).toBe(0);
  });

  it('says why a save was refused and marks the field the api named, keeping what was typed', async () => {
    fakeSettingsApi();
    sessionStorage.setItem('truffles.adminPassword', RIGHT);
    renderAt('/settings', [{ path: '/settings', element: <SettingsPage /> }]);
    const field = await screen.findByLabelText('Text model');
    await userEvent.clear(field);
    await userEvent.type(field, 'no/such-model');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not saved: textModel: no such model on OpenRouter');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveValue('no/such-model');
    expect(screen.queryByText(/Saved/)).not.toBeInTheDocument();
  });
});
