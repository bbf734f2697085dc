import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import type { FalseAlarm } from '../api/types';
import { formatStart } from '../sessions/format';
import { AdminActionCancelled, useAdminAction } from '../settings/useAdminAction';
import { useAddFalseAlarm, useDeleteFalseAlarm, useFalseAlarms } from './useFalseAlarms';

/** The patterns screening drops findings by: taught by agents that found nothing to fix, and by admins. */
export default function FalseAlarmsPage() {
  const alarms = useFalseAlarms();
  const admin = useAdminAction();
  return (
    <section className="page false-alarms-page" aria-labelledby="false-alarms-title">
      <div className="page-head">
        <h1 id="false-alarms-title">False alarms</h1>
        <p className="muted small">Screening drops a new finding that matches one of these. Agents add one when they
          find nothing to fix; an admin can add and remove them.</p>
      </div>
      <AddFalseAlarm run={admin.run} />
      {alarms.isPending && <p role="status" className="loading">Loading…</p>}
      {alarms.isError && <p role="alert" className="error-box">Could not load the false alarms: {alarms.error.message}</p>}
      {alarms.isSuccess && alarms.data.length === 0 && <p className="empty">No false alarms yet.</p>}
      {alarms.isSuccess && alarms.data.length > 0 && (
        <table className="table false-alarms">
          <thead><tr><th>Pattern</th><th>Source</th><th>Reason</th><th>Issue</th><th>Added</th><th /></tr></thead>
          <tbody>
            {alarms.data.map((alarm) => <Row key={alarm._id} alarm={alarm} run={admin.run} />)}
          </tbody>
        </table>
      )}
      {admin.dialog}
    </section>
  );
}

type Run = ReturnType<typeof useAdminAction>['run'];

function failure(error: unknown): string | null {
  if (error instanceof AdminActionCancelled) return null;
  if (error instanceof ApiError && error.field) return `${error.message}`;
  return (error as Error).message;
}

function AddFalseAlarm({ run }: { run: Run }) {
  const add = useAddFalseAlarm();
  const [pattern, setPattern] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  return (
    <form className="add-false-alarm" aria-label="Add a false alarm" onSubmit={async (event) => {
      event.preventDefault();
      setError(null);
      setAdded(null);
      try {
        await run(() => add.mutateAsync({ pattern: pattern.trim(), reason: reason.trim() }));
        setAdded(pattern.trim());
        setPattern('');
        setReason('');
      } catch (caught) {
        // what was typed stays in the form
        setError(failure(caught));
      }
    }}>
      <label>Pattern <input value={pattern} onChange={(event) => setPattern(event.target.value)} required
        maxLength={4000} placeholder="e.g. 404 on /favicon.ico" /></label>
      <label>Reason <input value={reason} onChange={(event) => setReason(event.target.value)}
        placeholder="why it is not a real problem" /></label>
      <button type="submit" className="primary" disabled={add.isPending || !pattern.trim()}>
        {add.isPending ? 'Adding…' : 'Add'}</button>
      {error && <p role="alert" className="field-error">{error}</p>}
      {added && <p role="status" className="ok small">Added “{added}”.</p>}
    </form>
  );
}

function Row({ alarm, run }: { alarm: FalseAlarm; run: Run }) {
  const remove = useDeleteFalseAlarm();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <tr data-false-alarm-id={alarm._id}>
      <td className="pattern">{alarm.pattern}</td>
      <td><span className="badge">{alarm.source === 'agent' ? 'Agent' : 'Manual'}</span></td>
      <td>{alarm.reason ?? <span className="muted">–</span>}</td>
      <td>{alarm.issueId ? <Link to={`/issues/${alarm.issueId}`}><code>{alarm.issueId.slice(-8)}</code></Link>
        : <span className="muted">–</span>}</td>
      <td className="small">{formatStart(alarm.createdAt)}</td>
      <td className="row-actions">
        {!confirming ? (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete “${alarm.pattern}”`}>Delete</button>
        ) : (
          <span className="inline-form">
            <button type="button" className="danger" disabled={remove.isPending} onClick={async () => {
              setError(null);
              try {
                await run(() => remove.mutateAsync(alarm._id));
              } catch (caught) {
                setError(failure(caught));
                setConfirming(false);
              }
            }}>{remove.isPending ? 'Deleting…' : 'Yes, delete'}</button>
            <button type="button" className="link-button" onClick={() => setConfirming(false)}>Keep</button>
          </span>
        )}
        {error && <p role="alert" className="field-error">{error}</p>}
      </td>
    </tr>
  );
}
