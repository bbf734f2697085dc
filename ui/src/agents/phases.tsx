import type { AgentStatus } from '../api/types';

export const WORKING_PHASES: AgentStatus[] = ['queued', 'starting', 'verifying', 'planning', 'coding', 'reviewing'];

const LABELS: Record<AgentStatus, string> = {
  queued: 'Queued',
  starting: 'Starting',
  verifying: 'Verifying',
  planning: 'Planning',
  coding: 'Coding',
  reviewing: 'Reviewing',
  done: 'Done',
  failed: 'Failed',
  false_alarm: 'False alarm',
};

export function phaseLabel(status: AgentStatus | null | undefined): string {
  return status ? (LABELS[status] ?? status) : 'Unknown';
}

/** The agent's phase as a badge: live phases pulse, ends are green / red / grey. */
export function PhaseBadge({ status, stopping = false }: { status: AgentStatus | null; stopping?: boolean }) {
  const live = status != null && WORKING_PHASES.includes(status);
  return (
    <span className={`phase phase-${status ?? 'unknown'}${live ? ' phase-live' : ''}`}>
      {stopping && live ? 'Stopping…' : phaseLabel(status)}
    </span>
  );
}

/**
 * queued → starting → verifying → planning → coding → reviewing → the end, with the ones passed ticked. Once it ended
 * (done, failed, false alarm) the phase it ended in is marked and the ones it never reached are dimmed.
 */
export function PhaseSteps({ status, reached }: { status: AgentStatus | null; reached: AgentStatus | null }) {
  const ended = status != null && !WORKING_PHASES.includes(status);
  const endedIn = ended && status !== 'done' && reached ? WORKING_PHASES.indexOf(reached) : -1;
  const at = status == null ? -1 : ended ? WORKING_PHASES.length : WORKING_PHASES.indexOf(status);
  const steps: AgentStatus[] = [...WORKING_PHASES, ended ? status! : 'done'];
  return (
    <ol className="phase-steps" aria-label="Phases">
      {steps.map((step, index) => {
        let state = index < at ? 'passed' : index === at ? 'current' : 'next';
        if (endedIn >= 0 && index < WORKING_PHASES.length) {
          state = index < endedIn ? 'passed' : index === endedIn ? 'ended-in' : 'skipped';
        }
        return (
          <li key={step} className={`step step-${state} step-${step}`} aria-current={state === 'current' ? 'step' : undefined}
            title={state === 'ended-in' ? `Ended during ${phaseLabel(step).toLowerCase()}` : undefined}>
            {phaseLabel(step)}
          </li>
        );
      })}
    </ol>
  );
}

/** Elapsed time of an agent: from its start (or queueing) to its end, or to now while it runs. */
export function elapsedMs(agent: { startedAt?: string | null; createdAt?: string | null; completedAt?: string | null;
  updatedAt?: string | null; status?: AgentStatus | null }, now: number): number | null {
  const from = agent.startedAt ?? agent.createdAt;
  if (!from) return null;
  const ended = agent.status != null && !WORKING_PHASES.includes(agent.status);
  // an agent that failed through the queue may have no completedAt: its last write is its end
  const end = agent.completedAt ?? (ended ? agent.updatedAt : null);
  const to = end ? Date.parse(end) : now;
  return Math.max(0, to - Date.parse(from));
}
