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
 * queued → starting → verifying → planning → coding → reviewing → the end, with the ones passed ticked. The end is
 * the agent's (done, failed, false alarm) once it has one.
 */
export function PhaseSteps({ status }: { status: AgentStatus | null }) {
  const ended = status != null && !WORKING_PHASES.includes(status);
  const at = status == null ? -1 : ended ? WORKING_PHASES.length : WORKING_PHASES.indexOf(status);
  const steps: AgentStatus[] = [...WORKING_PHASES, ended ? status! : 'done'];
  return (
    <ol className="phase-steps" aria-label="Phases">
      {steps.map((step, index) => {
        const state = index < at ? 'passed' : index === at ? 'current' : 'next';
        return (
          <li key={step} className={`step step-${state} step-${step}`} aria-current={state === 'current' ? 'step' : undefined}>
            {phaseLabel(step)}
          </li>
        );
      })}
    </ol>
  );
}

/** Elapsed time of an agent: from its start (or queueing) to its end, or to now while it runs. */
export function elapsedMs(agent: { startedAt?: string | null; createdAt?: string | null; completedAt?: string | null },
  now: number): number | null {
  const from = agent.startedAt ?? agent.createdAt;
  if (!from) return null;
  const to = agent.completedAt ? Date.parse(agent.completedAt) : now;
  return Math.max(0, to - Date.parse(from));
}
