import { Link } from 'react-router';
import type { AgentStatus, IssueListItem } from '../api/types';
import { formatClock } from '../player/timeline';
import { formatUsd, sessionAt } from '../sessions/format';
import { STATUSES } from './board';

const AGENT_LABEL: Record<AgentStatus, string> = {
  queued: 'Agent queued', starting: 'Agent starting', verifying: 'Agent verifying', planning: 'Agent planning',
  coding: 'Agent coding', reviewing: 'Agent reviewing', done: 'Agent done', failed: 'Agent failed',
  false_alarm: 'Agent: false alarm',
};

export function agentLabel(status: AgentStatus): string {
  return AGENT_LABEL[status] ?? status;
}

/** Who it hurt: "2 users · 3 sessions"; sessions alone when no user was identified (anonymous recordings). */
export function affected(users: number, sessions: number): string {
  const sessionText = `${sessions} ${sessions === 1 ? 'session' : 'sessions'}`;
  return users > 0 ? `${users} ${users === 1 ? 'user' : 'users'} · ${sessionText}` : sessionText;
}

/** One issue on the board: what, how bad, where it was last seen (thumbnail, moment), who it hurt, who fixes it. */
export function IssueCard({ issue }: { issue: IssueListItem }) {
  const latest = issue.latestOccurrence;
  return (
    <li className="issue-card" data-issue-id={issue._id} data-status={issue.status}>
      {latest && (
        <div className="thumb issue-thumb">
          {latest.thumbnailUrl ? (
            <img src={latest.thumbnailUrl} alt="" width={320} height={180} loading="lazy" decoding="async" />
          ) : <span className="thumb-empty">No thumbnail</span>}
          {latest.timestamp !== null && (
            <Link className="time-chip" to={sessionAt(latest.sessionId, latest.timestamp)}
              aria-label={`Open the latest session at ${formatClock(latest.timestamp)}`}>
              ▶ {formatClock(latest.timestamp)}
            </Link>
          )}
        </div>
      )}
      <div className="card-body">
        <div className="card-top">
          <span className={`chip chip-${issue.severity}`}>{issue.severity}</span>
          {issue.status !== 'pr_open' && issue.status !== 'merged' && issue.status !== 'queued'
            && issue.status !== 'fixing' && <span className="badge">{STATUSES[issue.status]}</span>}
        </div>
        <Link className="issue-title" to={`/issues/${issue._id}`}>{issue.title}</Link>
        <div className="muted small">{affected(issue.userCount, issue.sessionCount)}</div>
        {(issue.agent || issue.prUrl) && (
          <div className="card-foot small">
            {issue.agent && (
              <Link to={`/agents/${issue.agent._id}`} className={`agent-state agent-${issue.agent.status}`}>
                {agentLabel(issue.agent.status)}
                {issue.agent.costUsd !== null && ` · ${formatUsd(issue.agent.costUsd)}`}
              </Link>
            )}
            {issue.prUrl && <a href={issue.prUrl} target="_blank" rel="noreferrer">PR{issue.prNumber ? ` #${issue.prNumber}` : ''}</a>}
          </div>
        )}
      </div>
    </li>
  );
}
