import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { postAsAdmin, sendAsAdmin } from '../api/client';
import { adminPassword, forgetAdminPassword, rememberAdminPassword, useAdminPasswordHeld } from './adminPassword';
import { AdminActionCancelled, useAdminAction } from './useAdminAction';

const RIGHT = 'right-password';

/** The api's auth as the filter answers it: 204/200 with the right Bearer token, 401 otherwise. */
function fakeAuthApi() {
  const sent: { method: string; url: string; authorization: string | null }[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit = {}) => {
    const authorization = new Headers(init.headers).get('Authorization');
    sent.push({ method: init.method ?? 'GET', url, authorization });
    if (authorization !== `Bearer ${RIGHT}`) {
      return new Response(JSON.stringify({ error: 'Wrong admin password', field: null }), { status: 401 });
    }
    return url === '/api/auth/check' ? new Response(null, { status: 204 })
      : new Response(JSON.stringify({ done: true }), { status: 200 });
  }));
  return sent;
}

function Action({ onResult }: { onResult: (result: unknown) => void }) {
  const admin = useAdminAction();
  const held = useAdminPasswordHeld();
  return (
    <>
      <p>{held ? 'held' : 'none'}</p>
      <button type="button" onClick={() => admin.run(() => postAsAdmin('/api/thing', { a: 1 })).then(onResult,
        (error) => onResult(error))}>Act</button>
      {admin.dialog}
    </>
  );
}

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

afterEach(() => vi.unstubAllGlobals());

describe('the admin password', () => {
  it('is kept in sessionStorage and never in localStorage', () => {
    rememberAdminPassword(RIGHT);
    expect(sessionStorage.getItem('truffles.adminPassword')).toBe(RIGHT);
    expect(localStorage.length).toBe(0);
    expect(adminPassword()).toBe(RIGHT);
  });

  it('is forgotten on log out', () => {
    rememberAdminPassword(RIGHT);
    forgetAdminPassword();
    expect(adminPassword()).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  it('is forgotten when the api answers 401, so a refused password is not sent again', async () => {
    fakeAuthApi();
    rememberAdminPassword('stale');
    await expect(sendAsAdmin('DELETE', '/api/false-alarms/x')).rejects.toMatchObject({ status: 401 });
    expect(adminPassword()).toBeNull();
  });

  it('treats a 204 as success with no body', async () => {
    fakeAuthApi();
    rememberAdminPassword(RIGHT);
    await expect(postAsAdmin('/api/auth/check')).resolves.toBeUndefined();
  });
});

describe('useAdminAction', () => {
  it('asks for the password when none is held, then does the action with it and keeps it', async () => {
    const sent = fakeAuthApi();
    const results: unknown[] = [];
    render(<Action onResult={(result) => results.push(result)} />);
    await userEvent.click(screen.getByRole('button', { name: 'Act' }));
    expect(sent).toHaveLength(0);
    await userEvent.type(screen.getByLabelText(/Password/), RIGHT);
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(results).toEqual([{ done: true }]));
    expect(sent).toEqual([{ method: 'POST', url: '/api/thing', authorization: `Bearer ${RIGHT}` }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('held')).toBeInTheDocument();
    expect(localStorage.length).toBe(0);
  });

  it('says a wrong password is wrong, keeps what was typed, and succeeds once it is corrected', async () => {
    const sent = fakeAuthApi();
    const results: unknown[] = [];
    render(<Action onResult={(result) => results.push(result)} />);
    await userEvent.click(screen.getByRole('button', { name: 'Act' }));
    await userEvent.type(screen.getByLabelText(/Password/), 'right-passwor');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong admin password');
    expect(screen.getByLabelText(/Password/)).toHaveValue('right-passwor');
    expect(adminPassword()).toBeNull();
    await userEvent.type(screen.getByLabelText(/Password/), 'd');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(results).toEqual([{ done: true }]));
    expect(sent.map((call) => call.authorization)).toEqual(['Bearer right-passwor', `Bearer ${RIGHT}`]);
    expect(adminPassword()).toBe(RIGHT);
  });

  it('uses a held password without asking, and asks again when the api refuses it', async () => {
    fakeAuthApi();
    rememberAdminPassword('changed-on-the-server');
    const results: unknown[] = [];
    render(<Action onResult={(result) => results.push(result)} />);
    await userEvent.click(screen.getByRole('button', { name: 'Act' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong admin password');
    expect(screen.getByText('none')).toBeInTheDocument();
  });

  it('does nothing when the dialog is cancelled', async () => {
    const sent = fakeAuthApi();
    const results: unknown[] = [];
    render(<Action onResult={(result) => results.push(result)} />);
    await userEvent.click(screen.getByRole('button', { name: 'Act' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(results[0]).toBeInstanceOf(AdminActionCancelled));
    expect(sent).toHaveLength(0);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('submitting the password inside a page form does not submit that form too', async () => {
    fakeAuthApi();
    const outer = vi.fn((event: React.FormEvent) => event.preventDefault());
    function InForm() {
      const admin = useAdminAction();
      return (
        <form onSubmit={outer}>
          <button type="button" onClick={() => admin.run(() => postAsAdmin('/api/thing')).catch(() => undefined)}>
            Act</button>
          {admin.dialog}
        </form>
      );
    }
    render(<InForm />);
    await userEvent.click(screen.getByRole('button', { name: 'Act' }));
    await userEvent.type(screen.getByLabelText(/Password/), `${RIGHT}{Enter}`);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(outer).not.toHaveBeenCalled();
  });

  it('re-renders "held" when another component logs out', async () => {
    rememberAdminPassword(RIGHT);
    render(<Action onResult={() => undefined} />);
    expect(screen.getByText('held')).toBeInTheDocument();
    act(() => forgetAdminPassword());
    expect(screen.getByText('none')).toBeInTheDocument();
  });
});
