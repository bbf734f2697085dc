import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import type { IssueDetail } from '../api/types';
import { formatClock } from '../player/timeline';
import { formatStart, formatUsd, sessionAt } from '../sessions/format';
import { AdminActionCancelled, useAdminAction } from '../settings/useAdminAction';
import { STATUSES } from './board';
import { affected, agentLabel } from './IssueCard';
import { useIssue, useMarkFalseAlarm, useStartAgent } from './useIssues';

const LIVE_AGENT = ['queued', 'starting', 'verifying', 'planning', 'coding', 'reviewing'];
const PR_STATE: Partial<Record<IssueDetail['status'], string>> = {
  pr_open: 'open, waiting for review', merged: 'merged', pr_closed: 'closed without merging',
};

export default function IssuePage() {
  const { id = '' } = useParams();
  const issue = useIssue(id);
  if (issue.isPending) return <p className="page loading" role="status">Loading the issue…</p>;
  if (issue.isError) {
    const missing = issue.error instanceof ApiError && issue.error.status === 404;
    return (
      <section className="page">
        <p role="alert" className="error-box">{missing ? 'There is no issue with this id.'
          : `Could not load the issue: ${issue.error.message}`}</p>
        <p><Link to="/issues">Back to the issues</Link></p>
      </section>
    );
  }
  return <Issue issue={issue.data} />;
}

function Issue({ issue }: { issue: IssueDetail }) {
  const occurrences = issue.occurrences ?? [];
  const evidence = issue.evidence ?? [];
  return (
    <article className="page issue-page" aria-labelledby="issue-title">
      <p><Link to="/issues" className="back">← Issues</Link></p>
      <header className="issue-head">
        <span className={`chip chip-${issue.severity}`}>{issue.severity}</span>
        <span className="badge" data-testid="issue-status">{STATUSES[issue.status] ?? issue.status}</span>
        <h1 id="issue-title">{issue.title}</h1>
      </header>
      {issue.description && <p className="issue-description">{issue.description}</p>}
      {issue.severityReason && <p className="muted small">Why {issue.severity}: {issue.severityReason}</p>}
      {issue.status === 'false_alarm' && issue.falseAlarmReason && (
        <p className="note">Marked a false alarm: {issue.falseAlarmReason}</p>
      )}
      {issue.status === 'fix_failed' && issue.lastError && <p className="error-box">Fixing failed: {issue.lastError}</p>}

      <AdminActions issue={issue} />

      <div className="issue-grid">
        <section aria-labelledby="pr-title" className="panel">
          <h2 id="pr-title">Pull request</h2>
          {issue.prUrl ? (
            <p><a href={issue.prUrl} target="_blank" rel="noreferrer">{issue.prNumber ? `#${issue.prNumber}` : issue.prUrl}</a>
              {' '}— {PR_STATE[issue.status] ?? STATUSES[issue.status]}</p>
          ) : <p className="muted">None yet.</p>}
        </section>

        <section aria-labelledby="analysis-title" className="panel">
          <h2 id="analysis-title">How it was found</h2>
          <dl className="facts">
            <div><dt>Source</dt><dd>{issue.analysisSource ?? '–'}</dd></div>
            <div><dt>Model</dt><dd>{issue.modelUsed ?? 'none (detectors)'}</dd></div>
            {issue.costUsd !== null && issue.costUsd !== undefined && (
              <div><dt>Model cost</dt><dd>{formatUsd(issue.costUsd)}</dd></div>
            )}
            <div><dt>Screening</dt><dd>{issue.screeningPassed === null || issue.screeningPassed === undefined ? '–'
              : issue.screeningPassed ? 'passed' : 'dropped'}</dd></div>
          </dl>
          {issue.llmReasoning && <><h3>Model reasoning</h3><p className="reasoning">{issue.llmReasoning}</p></>}
          {issue.screeningReasoning && <><h3>Screening reasoning</h3><p className="reasoning">{issue.screeningReasoning}</p></>}
        </section>
      </div>

      <section aria-labelledby="evidence-title">
        <h2 id="evidence-title">Evidence</h2>
        {evidence.length === 0 ? <p className="muted">No evidence recorded beyond the description.</p> : (
          <ul className="evidence">
            {evidence.map((item, index) => (
              <li key={index}>
                {item.time !== null
                  ? <Link to={sessionAt(issue.sessionId, item.time)} className="time">{formatClock(item.time)}</Link>
                  : <span className="time muted">–</span>}
                <span className="badge">{item.kind.replace(/_/g, ' ')}</span>
                <span className="detail">{item.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="occurrences-title">
        <h2 id="occurrences-title">Occurrences <span className="muted">
          {affected(issue.userCount, issue.sessionCount)}</span></h2>
        <table className="table">
          <thead><tr><th>Session</th><th>User</th><th>Moment</th><th>Seen</th></tr></thead>
          <tbody>
            {occurrences.map((occurrence, index) => (
              <tr key={`${occurrence.sessionId}-${index}`}>
                <td><Link to={sessionAt(occurrence.sessionId, occurrence.timestamp)}>
                  <code>{occurrence.sessionId.slice(-8)}</code></Link></td>
                <td>{occurrence.userId ?? 'anonymous'}</td>
                <td>{occurrence.timestamp !== null
                  ? <Link to={sessionAt(occurrence.sessionId, occurrence.timestamp)}>{formatClock(occurrence.timestamp)}</Link>
                  : '–'}</td>
                <td>{formatStart(occurrence.seenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="agents-title">
        <h2 id="agents-title">Agent runs</h2>
        {issue.agentSessions.length === 0 ? <p className="muted">No agent has worked on this issue.</p> : (
          <table className="table">
            <thead><tr><th>Agent</th><th>Outcome</th><th>Started</th><th>Ended</th><th>Cost</th><th>PR</th></tr></thead>
            <tbody>
              {issue.agentSessions.map((agent) => (
                <tr key={agent._id}>
                  <td><Link to={`/agents/${agent._id}`}><code>{agent._id.slice(-8)}</code></Link></td>
                  <td className={`agent-${agent.status}`}>{agentLabel(agent.status)}
                    {agent.error && <div className="small muted" title={agent.error}>{agent.error}</div>}
                    {agent.falseAlarmReason && <div className="small muted">{agent.falseAlarmReason}</div>}
                  </td>
                  <td>{formatStart(agent.startedAt ?? agent.createdAt)}</td>
                  <td>{formatStart(agent.completedAt)}</td>
                  <td>{formatUsd(agent.costUsd ?? agent.usage?.costUsd)}
                    {agent.costUsd == null && LIVE_AGENT.includes(agent.status)
                      && <span className="muted"> so far</span>}</td>
                  <td>{agent.prUrl ? <a href={agent.prUrl} target="_blank" rel="noreferrer">PR</a> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}

function AdminActions({ issue }: { issue: IssueDetail }) {
  const admin = useAdminAction();
  const start = useStartAgent(issue);
  const mark = useMarkFalseAlarm(issue._id);
  const [marking, setMarking] = useState(false);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const live = issue.agentSessions.some((agent) => LIVE_AGENT.includes(agent.status));
  const closed = issue.status === 'false_alarm' || issue.status === 'merged';

  const act = async (action: () => Promise<unknown>, done: string) => {
    setMessage(null);
    try {
      await admin.run(action);
      setMessage({ text: done, ok: true });
      return true;
    } catch (error) {
      if (!(error instanceof AdminActionCancelled)) setMessage({ text: (error as Error).message, ok: false });
      return false;
    }
  };

  return (
    <section className="admin-actions" aria-label="Admin actions">
      <button type="button" disabled={live || closed || start.isPending}
        title={live ? 'An agent is already working on this issue' : undefined}
        onClick={() => act(() => start.mutateAsync(), 'Agent queued: it starts when a slot is free.')}>
        {start.isPending ? 'Starting…' : 'Start an agent'}
      </button>
      {!marking ? (
        <button type="button" disabled={issue.status === 'false_alarm'} onClick={() => setMarking(true)}>
          Mark as false alarm
        </button>
      ) : (
        <form className="inline-form" onSubmit={async (event) => {
          event.preventDefault();
          if (await act(() => mark.mutateAsync(reason.trim()), 'Marked a false alarm; screening will drop it next time.')) {
            setMarking(false);
            setReason('');
          }
        }}>
          <label>Reason <input value={reason} onChange={(event) => setReason(event.target.value)} required
            placeholder="e.g. the banner is expected on staging" size={40} /></label>
          <button type="submit" disabled={mark.isPending || !reason.trim()}>Mark false alarm</button>
          <button type="button" className="link-button" onClick={() => setMarking(false)}>Cancel</button>
        </form>
      )}
      {message && <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok small' : 'field-error'}>
        {message.text}</p>}
      {admin.dialog}
    </section>
  );
}
