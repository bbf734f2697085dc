import type { Stats } from '../api/types';
import { formatUsd } from '../sessions/format';
import { spendToday } from './spend';

/** Today's model and agent spend against the daily budget; a warning from 80 % of it. */
export function SpendToday({ stats }: { stats: Stats }) {
  const spend = spendToday(stats);
  const detail = `Today (UTC): models ${formatUsd(spend.models)}, agents ${formatUsd(spend.agents)}`
    + (spend.budget === null ? '' : ` of a ${formatUsd(spend.budget)} daily budget`);
  return (
    <div className={spend.warn ? 'spend spend-warn' : 'spend'} title={detail}>
      <dt>Spend today</dt>
      <dd>
        {formatUsd(spend.total)}{spend.budget !== null && <span className="muted"> / {formatUsd(spend.budget)}</span>}
        {spend.warn && (
          <span role="status" className="spend-warning">
            {' '}⚠ {spend.share === Infinity ? 'over budget' : `${Math.round((spend.share ?? 0) * 100)} % of budget`}
          </span>
        )}
      </dd>
    </div>
  );
}
