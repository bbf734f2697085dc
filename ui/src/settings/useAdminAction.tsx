import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { adminPassword, forgetAdminPassword, rememberAdminPassword } from './adminPassword';

/** The person closed the password dialog: the action was not done. */
export class AdminActionCancelled extends Error {
  constructor() {
    super('Cancelled: the admin password was not given');
  }
}

interface Prompt {
  /** Why it asks again (the api's words), or null on the first ask. */
  refusal: string | null;
  busy: boolean;
  submit: (password: string) => void;
  cancel: () => void;
}

/**
 * Runs admin actions. With no password held it asks for one first; when the api refuses it (401, the client has
 * already forgotten it) or slows the address down (429), the dialog stays open with the api's reason and with what
 * was typed, and submitting tries the same action again. Only a right password is kept (sessionStorage).
 *
 *   const admin = useAdminAction();
 *   await admin.run(() => postAsAdmin('/api/...', body));   // rejects with AdminActionCancelled when cancelled
 *   return <>{...}{admin.dialog}</>;
 */
export function useAdminAction(title = 'Admin password') {
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const ask = useCallback((refusal: string | null) => new Promise<string>((resolve, reject) => {
    setPrompt({
      refusal,
      busy: false,
      submit: (password) => {
        setPrompt((open) => (open ? { ...open, busy: true } : open));
        resolve(password);
      },
      cancel: () => {
        setPrompt(null);
        reject(new AdminActionCancelled());
      },
    });
  }), []);

  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T> => {
    let refusal: string | null = null;
    for (;;) {
      if (!adminPassword()) {
        rememberAdminPassword(await ask(refusal));
      }
      try {
        const result = await action();
        if (mounted.current) setPrompt(null);
        return result;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 429)) {
          // a 429 comes before the password is even checked: it is not known to be right, so it is not kept
          forgetAdminPassword();
          refusal = error.message;
          continue;
        }
        if (mounted.current) setPrompt(null);
        throw error;
      }
    }
  }, [ask]);

  const dialog: ReactNode = prompt ? <AdminPasswordDialog title={title} prompt={prompt} /> : null;
  return { run, dialog, asking: prompt !== null };
}

function AdminPasswordDialog({ title, prompt }: { title: string; prompt: Prompt }) {
  return (
    <div className="modal-backdrop" onKeyDown={(event) => {
      if (event.key === 'Escape') prompt.cancel();
    }}>
      <PasswordForm title={title} refusal={prompt.refusal} busy={prompt.busy} onSubmit={prompt.submit}
        onCancel={prompt.cancel} modal />
    </div>
  );
}

/** The password form: in the dialog above, and inline on the settings page. */
export function PasswordForm({ title, refusal, busy, onSubmit, onCancel, modal = false, submitLabel = 'Continue' }: {
  title: string;
  refusal: string | null;
  busy: boolean;
  onSubmit: (password: string) => void;
  onCancel?: () => void;
  modal?: boolean;
  submitLabel?: string;
}) {
  // the typed text lives here, and the form stays mounted across a refusal, so nothing typed is lost
  const [typed, setTyped] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!busy) input.current?.focus();
  }, [busy, refusal]);
  return (
    <form role={modal ? 'dialog' : undefined} aria-modal={modal ? 'true' : undefined} aria-labelledby="admin-form-title"
      className={modal ? 'modal password-form' : 'password-form'}
      onSubmit={(event) => {
        event.preventDefault();
        // React bubbles a submit through the component tree: a page form around the dialog must not submit too
        event.stopPropagation();
        if (!busy) onSubmit(typed);
      }}>
      <h2 id="admin-form-title">{title}</h2>
      <p className="small">This needs the admin password (<code>ADMIN_PASSWORD</code> in <code>.env</code>). It is kept
        in this tab only, until you log out or close the tab.</p>
      <label>Password{' '}
        <input ref={input} type="password" autoComplete="current-password" value={typed} required
          aria-invalid={refusal !== null} aria-describedby={refusal ? 'admin-form-refusal' : undefined}
          onChange={(event) => setTyped(event.target.value)} />
      </label>
      {refusal && <p id="admin-form-refusal" className="field-error" role="alert">{refusal}</p>}
      <div className="form-actions">
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Checking…' : submitLabel}</button>
      </div>
    </form>
  );
}
