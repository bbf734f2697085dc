import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { AdminActionCancelled, PasswordForm, useAdminAction } from './useAdminAction';
import { forgetAdminPassword, useAdminPasswordHeld } from './adminPassword';
import {
  MODEL_FIELDS, NUMBER_FIELDS, formOf, isOptional, runtimeChanges, validateRuntime, type RuntimeForm,
  type SettingsView,
} from './runtimeSettings';
import { CostsPanel } from './CostsPanel';
import { VideoSessionsField } from './VideoSessionsField';
import { logIn, useSaveRuntime, useSaveSecret, useSettings, type SecretsWritten } from './useSettings';
import NotificationsSettings from './notifications/NotificationsSettings';

export default function SettingsPage() {
  const held = useAdminPasswordHeld();
  return (
    <section className="page settings-page" aria-labelledby="settings-title">
      <div className="page-head">
        <h1 id="settings-title">Settings</h1>
        {held && <button type="button" onClick={forgetAdminPassword}>Log out</button>}
      </div>
      {held ? <AdminSettings /> : <LogIn />}
    </section>
  );
}

function LogIn() {
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="panel login">
      <PasswordForm title="Log in to change settings" refusal={refusal} busy={busy} submitLabel="Log in"
        onSubmit={async (password) => {
          setBusy(true);
          setRefusal(null);
          try {
            setRefusal(await logIn(password));
          } catch (error) {
            setRefusal(`Could not reach the api: ${(error as Error).message}`);
          } finally {
            setBusy(false);
          }
        }} />
    </div>
  );
}

function AdminSettings() {
  const settings = useSettings();
  if (settings.isPending) return <p className="loading" role="status">Loading settings…</p>;
  if (settings.isError) return <p className="error-box" role="alert">Could not load the settings: {settings.error.message}</p>;
  return (
    <>
      <RuntimeSettingsForm view={settings.data} />
      <CostsPanel />
      <Secrets view={settings.data} />
      <NotificationsSettings />
    </>
  );
}

function RuntimeSettingsForm({ view }: { view: SettingsView }) {
  const admin = useAdminAction();
  const save = useSaveRuntime();
  const [form, setForm] = useState<RuntimeForm>(() => formOf(view.runtime));
  const [serverError, setServerError] = useState<{ field: string | null; message: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const errors = validateRuntime(form, view.limits);
  const changes = runtimeChanges(form, view.runtime);
  const invalid = Object.keys(errors).length > 0;
  const set = (name: keyof RuntimeForm, value: string | string[]) => {
    setForm((old) => ({ ...old, [name]: value }));
    setSaved(null);
    setServerError(null);
  };
  const fieldError = (name: string) => errors[name as keyof RuntimeForm]
    ?? (serverError?.field === name ? serverError.message : undefined);

  return (
    <>
      <form className="panel settings-form" aria-labelledby="runtime-title" noValidate onSubmit={async (event) => {
        event.preventDefault();
        if (invalid || Object.keys(changes).length === 0) return;
        setSaved(null);
        setServerError(null);
        try {
          const result = await admin.run(() => save.mutateAsync(changes));
          setForm(formOf(result));
          setSaved(`Saved ${Object.keys(changes).join(', ')}. Every service applies it within seconds.`);
        } catch (error) {
          if (error instanceof AdminActionCancelled) return;
          setServerError({ field: error instanceof ApiError ? error.field : null, message: (error as Error).message });
        }
      }}>
        <h2 id="runtime-title">Runtime settings</h2>
        <p className="muted small">Applied live: no restart. Ranges are the api&apos;s own.</p>
        <div className="settings-grid">
          {NUMBER_FIELDS.map((field) => {
            const range = view.limits.numbers[field.name];
            const error = fieldError(field.name);
            return (
              <div key={field.name} className="setting">
                <label htmlFor={`setting-${field.name}`}>{field.label}</label>
                <input id={`setting-${field.name}`} name={field.name} inputMode={field.whole ? 'numeric' : 'decimal'}
                  value={form[field.name]}
                  onChange={(event) => set(field.name, event.target.value)} aria-invalid={!!error}
                  aria-describedby={`${field.name}-hint`} />
                <span id={`${field.name}-hint`} className={error ? 'field-error' : 'muted small'}>
                  {error ? `${field.label} ${error}` : `${field.unit}, ${range?.min} to ${range?.max}${
                    isOptional(field) ? '; blank: no cap' : ''}`}</span>
              </div>
            );
          })}
          {MODEL_FIELDS.map((field) => {
            const error = fieldError(field.name);
            return (
              <div key={field.name} className="setting">
                <label htmlFor={`setting-${field.name}`}>{field.label}</label>
                <input id={`setting-${field.name}`} name={field.name} value={form[field.name]} spellCheck={false}
                  onChange={(event) => set(field.name, event.target.value)} aria-invalid={!!error}
                  aria-describedby={`${field.name}-hint`} />
                <span id={`${field.name}-hint`} className={error ? 'field-error' : 'muted small'}>
                  {error ? `${field.label} ${error}` : 'OpenRouter model name'}</span>
              </div>
            );
          })}
          <VideoSessionsField form={form} set={set} error={fieldError('videoSamplePercent')} />
          <fieldset className="setting">
            <legend>Fix automatically</legend>
            {view.limits.autoFixSeverities.map((severity) => (
              <label key={severity} className="check">
                <input type="checkbox" checked={form.autoFixSeverities.includes(severity)}
                  onChange={(event) => set('autoFixSeverities', event.target.checked
                    ? [...form.autoFixSeverities, severity]
                    : form.autoFixSeverities.filter((s) => s !== severity))} />
                {severity} issues
              </label>
            ))}
            {fieldError('autoFixSeverities') && <span className="field-error">{fieldError('autoFixSeverities')}</span>}
          </fieldset>
        </div>
        <div className="form-actions">
          {saved && <p role="status" className="ok">{saved}</p>}
          {serverError && <p role="alert" className="field-error">Not saved: {serverError.message}</p>}
          <button type="button" disabled={Object.keys(changes).length === 0}
            onClick={() => { setForm(formOf(view.runtime)); setServerError(null); }}>Undo changes</button>
          <button type="submit" className="primary" disabled={invalid || Object.keys(changes).length === 0 || save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}</button>
        </div>
      </form>
      {admin.dialog}
    </>
  );
}

function Secrets({ view }: { view: SettingsView }) {
  const admin = useAdminAction();
  const [result, setResult] = useState<SecretsWritten | null>(null);
  return (
    <section className="panel" aria-labelledby="secrets-title">
      <h2 id="secrets-title">Secrets and environment</h2>
      <p className="muted small">Kept in <code>{view.envFile}</code>; only the last 4 characters are ever shown. Saving
        one restarts the services that read it.</p>
      <table className="table secrets">
        <tbody>
          {Object.entries(view.secrets).map(([key, masked]) => (
            <EnvRow key={key} name={key} shown={masked} secret run={admin.run} onWritten={setResult} />
          ))}
          {Object.entries(view.environment).map(([key, value]) => (
            <EnvRow key={key} name={key} shown={value} secret={false} run={admin.run} onWritten={setResult} />
          ))}
        </tbody>
      </table>
      {result && <RestartResult result={result} envFile={view.envFile} />}
      {admin.dialog}
    </section>
  );
}

function EnvRow({ name, shown, secret, run, onWritten }: {
  name: string; shown: string; secret: boolean; run: ReturnType<typeof useAdminAction>['run'];
  onWritten: (result: SecretsWritten) => void;
}) {
  const save = useSaveSecret();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!editing) setValue('');
  }, [editing]);
  return (
    <tr data-env={name}>
      <th scope="row"><code>{name}</code></th>
      <td className={shown === 'not set' ? 'muted' : undefined}>{shown}</td>
      <td>
        {!editing ? (
          <button type="button" onClick={() => setEditing(true)} aria-label={`Replace ${name}`}>Replace</button>
        ) : (
          <form className="inline-form" onSubmit={async (event) => {
            event.preventDefault();
            setError(null);
            try {
              onWritten(await run(() => save.mutateAsync({ [name]: value })));
              setEditing(false);
            } catch (caught) {
              if (!(caught instanceof AdminActionCancelled)) setError((caught as Error).message);
            }
          }}>
            <input aria-label={`New ${name}`} type={secret ? 'password' : 'text'} autoComplete="off" value={value}
              onChange={(event) => setValue(event.target.value)} spellCheck={false} />
            <button type="submit" className="primary" disabled={save.isPending}>{save.isPending ? 'Saving…' : 'Save'}</button>
            <button type="button" className="link-button" onClick={() => setEditing(false)}>Cancel</button>
            {error && <span role="alert" className="field-error">{error}</span>}
          </form>
        )}
      </td>
    </tr>
  );
}

const RESTART_STATE = {
  restarted: 'restarted', failed: 'not restarted', scheduled: 'restarts in 1 s (this page reconnects)',
};

function RestartResult({ result, envFile }: { result: SecretsWritten; envFile: string }) {
  const failed = result.restarts.filter((restart) => restart.state === 'failed').map((restart) => restart.unit);
  return (
    <div className={failed.length === 0 ? 'restart-result ok-box' : 'restart-result error-box'} role="status">
      <p>Saved {result.written.join(', ')} to <code>{envFile}</code>.</p>
      {result.restarts.length === 0 ? <p>No service needed a restart.</p> : (
        <ul className="units">
          {result.restarts.map((restart) => (
            <li key={restart.unit} data-unit={restart.unit} data-state={restart.state}>
              <code>{restart.unit}</code>: {RESTART_STATE[restart.state] ?? restart.state}
              {restart.state === 'failed' && restart.output && <pre className="restart-output">{restart.output}</pre>}
            </li>
          ))}
        </ul>
      )}
      {failed.length === 0 && result.restartOutput && <pre className="restart-output">{result.restartOutput}</pre>}
      {failed.length > 0 && (
        <p>The new values are saved but {failed.join(', ')} still {failed.length === 1 ? 'runs' : 'run'} with the old
          ones. Restart {failed.length === 1 ? 'it' : 'them'} yourself: under <code>./truffles up</code>, run{' '}
          <code>./truffles restart {failed.join(' ')}</code> (or stop it and run <code>./truffles up</code> again);
          under systemd, <code>sudo systemctl restart {failed.join(' ')}</code>.</p>
      )}
    </div>
  );
}
