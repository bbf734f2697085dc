import type { SessionStatus } from '../api/types';

const LABEL: Record<SessionStatus, string> = {
  pending: 'Queued',
  rendering: 'Rendering',
  analyzing: 'Analysing',
  complete: 'Complete',
  failed: 'Failed',
};

export function StatusBadge({ status }: { status: SessionStatus }) {
  return <span className={`badge status-${status}`}>{LABEL[status] ?? status}</span>;
}
