import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { postAsAdmin } from '../api/client';
import type { AgentSession } from '../api/types';
import { AdminActionCancelled, useAdminAction } from '../settings/useAdminAction';
import { isLive } from './feed/AgentLog';
import { useAgentLog } from './feed/useAgentLog';
import { useConnectionState } from './feed/useConnectionState';
import { formatDollars, formatDuration, formatTokens } from './logRows';
import { LogView } from './LogView';
import { elapsedMs, PhaseBadge, PhaseSteps } from './phases';
import { useNow } from './useNow';
import './agents.css';

/** `/agents/<id>`: one agent's phases, cost and its output as it streams. */
export default function AgentPage() {
  const { id = '' } = useParams();
  const { log, detail, error, version } = useAgentLog(id);
  const connection = useConnectionState();
  const now = useNow();
  const stop = useStop(id, (at) => log.stopAcknowledged(at));

  if (!detail) {
    return (
      <section className="page agent-page">
        <p><Link to="/agents">← Agents</Link></p>
        {error ? <p className="error-box" role="alert">Could not load agent {id}: {error.message}</p>
          : <p className="loading" role="status">Loading…</p>}
      </section>
    );
  }
  const status = log.status ?? detail.status;
  const live = isLive(status);
  const usage = log.rows.usage;
  const cost = !live && detail.costUsd != null ? detail.costUsd : usage.costUsd;
  const elapsed = elapsedMs({ ...detail, status }, now);
  const prUrl = log.prUrl ?? detail.prUrl;
  const problem = status === 'false_alarm' ? (detail.falseAlarmReason ?? null)
    : log.error ?? detail.error ?? detail.lastError ?? null;
  return (
    <section className="page agent-page">
      <p className="crumbs"><Link to="/agents">← Agents</Link></p>
      <header className="agent-head">
        <div className="agent-title">
          <h1>{detail.issueTitle ?? `Agent ${id}`}</h1>
          <PhaseBadge status={status} stopping={stop.stopping} />
        </div>
        <PhaseSteps status={status} reached={log.reached} />
        <dl className="agent-facts">
          <div><dt>Elapsed</dt><dd>{elapsed == null ? '—' : formatDuration(elapsed)}</dd></div>
          <div><dt>Cost</dt><dd data-testid="agent-cost">{formatDollars(cost)}{live && <span className="muted"> so far</span>}</dd></div>
          <div><dt>Tokens</dt><dd>{formatTokens(usage.inputTokens)} in · {formatTokens(usage.outputTokens)} out</dd></div>
          <div><dt>Issue</dt><dd><Link to={`/issues/${detail.issueId}`}>open issue</Link></dd></div>
          {prUrl && <div><dt>Pull request</dt><dd><a href={prUrl} target="_blank" rel="noreferrer">
            {detail.prNumber ? `#${detail.prNumber}` : 'open'} ↗</a></dd></div>}
        </dl>
        {live && (
          <div className="agent-actions">
            {stop.confirming ? (
              <div className="confirm" role="group" aria-label="Confirm stop">
                <span>Stop this agent? It ends as failed; its log is kept.</span>
                <button type="button" className="danger" onClick={stop.confirm}>Stop agent</button>
                <button type="button" onClick={stop.cancel}>Keep running</button>
              </div>
            ) : (
              <button type="button" className="danger" disabled={stop.stopping} onClick={stop.ask}>
                {stop.stopping ? 'Stopping…' : 'Stop'}
              </button>
            )}
          </div>
        )}
      </header>
      {stop.error && <p className="error-box" role="alert">Stop failed: {stop.error}</p>}
      {problem && !live && <p className={status === 'false_alarm' ? 'note' : 'error-box'}>{problem}</p>}
      {live && connection === 'reconnecting' && (
        <p className="note reconnecting" role="status">Reconnecting… (the log continues where it left off)</p>
      )}
      {error && <p className="error-box" role="alert">Loading the log failed, retrying: {error.message}</p>}
      <LogView rows={log.rows.rows} version={version} live={live} entries={log.contiguous} />
      {log.hiddenAfterStop > 0 && (
        <p className="log-note">{log.hiddenAfterStop} more {log.hiddenAfterStop === 1 ? 'entry was' : 'entries were'} written
          while the agent was being stopped (not shown).</p>
      )}
      {stop.dialog}
    </section>
  );
}

/** Stop: a confirmation, "Stopping…" at once, the admin password if none is held; the log is cut at the ack. */
function useStop(id: string, acknowledged: (at: string) => void) {
  const admin = useAdminAction('Stop the agent');
  const [confirming, setConfirming] = useState(false);
  const [stopping, setStopping] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setConfirming(false);
    setStopping(true);
    setError(null);
    try {
      const ack = await admin.run(() =>
        postAsAdmin<AgentSession & { updatedAt?: string }>(`/api/agents/${encodeURIComponent(id)}/stop`));
      acknowledged(ack.updatedAt ?? new Date().toISOString());
    } catch (failure) {
      setStopping(false);
      if (!(failure instanceof AdminActionCancelled)) setError((failure as Error).message);
    }
  };
  return {
    confirming, stopping, error, confirm, dialog: admin.dialog,
    ask: () => setConfirming(true),
    cancel: () => setConfirming(false),
  };
}
