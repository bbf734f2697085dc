import { Link } from 'react-router';
import type { AgentSession } from '../api/types';
import { formatDollars, formatDuration, formatTokens } from './logRows';
import { elapsedMs, PhaseBadge } from './phases';
import { useAgentsOverview, useFinishedAgents } from './useAgents';
import { useNow } from './useNow';
import { WaitingBadge } from '../frame/WaitingBadge';
import './agents.css';

/** `/agents`: running, queued and finished agents with phase, elapsed time, cost, tokens and PR. */
export default function AgentsPage() {
  const overview = useAgentsOverview();
  const finished = useFinishedAgents();
  const now = useNow();
  const stats = overview.data?.stats;
  // the api's total holds what ended agents wrote; a running agent's cost so far is its usage
  const spent = stats ? stats.totalCostUsd + (overview.data?.active ?? [])
    .reduce((sum, agent) => sum + (agent.costUsd == null ? (agent.usage?.costUsd ?? 0) : 0), 0) : 0;
  const ended = finished.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="page agents-page">
      <div className="page-head">
        <h1>Agents</h1>
        {stats && (
          <p className="muted agents-stats">
            {stats.running} running · {stats.queued} queued · {stats.done} done · {stats.failed} failed
            · {stats.falseAlarm} false alarms · {formatDollars(spent)} in all
          </p>
        )}
      </div>
      {overview.isError && <p className="error-box" role="alert">Could not load agents: {overview.error.message}</p>}
      <AgentTable title="Running" agents={overview.data?.active} now={now} loading={overview.isPending}
        empty="No agent is working right now." />
      <AgentTable title="Queued" agents={overview.data?.queue} now={now} loading={overview.isPending}
        empty="Nothing waiting." />
      <AgentTable title="Finished" agents={finished.data ? ended : undefined} now={now} loading={finished.isPending}
        empty="No agent has finished yet." />
      {finished.isError && <p className="error-box" role="alert">Could not load finished agents: {finished.error.message}</p>}
      {finished.hasNextPage && (
        <button type="button" onClick={() => finished.fetchNextPage()} disabled={finished.isFetchingNextPage}>
          {finished.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

function AgentTable({ title, agents, now, loading, empty }: {
  title: string; agents: AgentSession[] | undefined; now: number; loading: boolean; empty: string;
}) {
  const id = `agents-${title.toLowerCase()}`;
  return (
    <section className="agent-group" aria-labelledby={id}>
      <h2 id={id}>{title}{agents ? ` (${agents.length})` : ''}</h2>
      {!agents ? (loading ? <p className="loading">Loading…</p> : null)
        : agents.length === 0 ? <p className="muted">{empty}</p> : (
          <table className="agent-table">
            <thead>
              <tr><th scope="col">Issue</th><th scope="col">Phase</th><th scope="col">Elapsed</th>
                <th scope="col">Cost</th><th scope="col">Tokens in / out</th><th scope="col">Pull request</th></tr>
            </thead>
            <tbody>
              {agents.map((agent) => <AgentRow key={agent._id} agent={agent} now={now} />)}
            </tbody>
          </table>
        )}
    </section>
  );
}

function AgentRow({ agent, now }: { agent: AgentSession; now: number }) {
  const elapsed = elapsedMs(agent, now);
  const usage = agent.usage;
  const cost = agent.costUsd ?? usage?.costUsd ?? null;
  return (
    <tr data-agent={agent._id}>
      <td className="agent-issue">
        <Link to={`/agents/${agent._id}`}>{agent.issueTitle ?? `Agent ${agent._id.slice(-6)}`}</Link>
        <AgentReason agent={agent} />
        <WaitingBadge reason={agent.waitingReason} />
      </td>
      <td><PhaseBadge status={agent.status} stopping={agent.stopRequested === true} /></td>
      <td className="num">{elapsed == null ? '—' : formatDuration(elapsed)}{agent.status === 'queued' && <span className="muted"> waiting</span>}</td>
      <td className="num">{formatDollars(cost)}</td>
      <td className="num">{usage ? `${formatTokens(usage.inputTokens)} / ${formatTokens(usage.outputTokens)}` : '—'}</td>
      <td>{agent.prUrl ? <a href={agent.prUrl} target="_blank" rel="noreferrer">#{agent.prNumber ?? 'PR'} ↗</a>
        : <span className="muted">—</span>}</td>
    </tr>
  );
}

/** Why it ended the way it did: a false alarm's reason, a failure's error. */
function AgentReason({ agent }: { agent: AgentSession }) {
  const reason = agent.status === 'false_alarm' ? agent.falseAlarmReason
    : agent.status === 'done' ? null : (agent.error ?? agent.lastError);
  return reason ? <div className="muted small agent-error" title={reason}>{reason}</div> : null;
}
