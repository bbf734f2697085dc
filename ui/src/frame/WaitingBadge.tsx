/**
 * Work held by a spending cap: the reason the api gives (which cap, spent / limit, when it resumes), shown where the
 * work is listed. Nothing when the work is not waiting.
 */
export function WaitingBadge({ reason }: { reason: string | null | undefined }) {
  if (!reason) return null;
  return <span className="badge waiting-badge" title={reason}>waiting: {reason}</span>;
}
