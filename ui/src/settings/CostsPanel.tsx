import { useQuery } from '@tanstack/react-query';
import { getJson } from '../api/client';
import type { CostReport } from '../api/types';

const dollars = (usd: number | null) => (usd == null ? '—' : `$${usd.toFixed(2)}`);

/** The last 30 UTC days' spend (`GET /api/stats/costs`): by day, by model, per session-minute, per issue fixed. */
export function CostsPanel() {
  const report = useQuery({
    queryKey: ['costs'],
    queryFn: ({ signal }) => getJson<CostReport>('/api/stats/costs', signal),
    refetchInterval: 60_000,
  });
  return (
    <section className="panel costs-panel" aria-labelledby="costs-title">
      <h2 id="costs-title">Costs</h2>
      {report.isPending && <p className="loading" role="status">Loading costs…</p>}
      {report.isError && <p className="error-box" role="alert">Could not load the costs: {report.error.message}</p>}
      {report.data && <CostTables report={report.data} />}
    </section>
  );
}

export function CostTables({ report }: { report: CostReport }) {
  const spentDays = report.days.filter((day) => day.totalUsd > 0).reverse();
  return (
    <>
      <p className="muted small">{report.from} to {report.to} (UTC): {dollars(report.totalUsd)} — models{' '}
        {dollars(report.modelUsd)}, agents {dollars(report.agentUsd)}.</p>
      <dl className="cost-ratios">
        <dt>Per session-minute analysed</dt>
        <dd>{dollars(report.modelUsdPerSessionMinute)} ({report.sessionMinutesAnalysed.toFixed(1)} min)</dd>
        <dt>Per issue fixed</dt>
        <dd>{dollars(report.agentUsdPerIssueFixed)} ({report.issuesFixed} reached a PR)</dd>
      </dl>
      <table className="table costs-by-model">
        <caption>By model</caption>
        <thead><tr><th scope="col">Model</th><th scope="col" className="num">Dollars</th></tr></thead>
        <tbody>
          {Object.keys(report.byModel).length === 0 && <tr><td colSpan={2} className="muted">No model was paid in this
            range.</td></tr>}
          {Object.entries(report.byModel).map(([model, usd]) => (
            <tr key={model}><td>{model}</td><td className="num">{dollars(usd)}</td></tr>
          ))}
        </tbody>
      </table>
      <table className="table costs-by-day">
        <caption>By day</caption>
        <thead>
          <tr><th scope="col">Day</th><th scope="col" className="num">Models</th><th scope="col" className="num">Agents</th>
            <th scope="col" className="num">Total</th></tr>
        </thead>
        <tbody>
          {spentDays.length === 0 && <tr><td colSpan={4} className="muted">Nothing spent in this range.</td></tr>}
          {spentDays.map((day) => (
            <tr key={day.day}><td>{day.day}</td><td className="num">{dollars(day.modelUsd)}</td>
              <td className="num">{dollars(day.agentUsd)}</td><td className="num">{dollars(day.totalUsd)}</td></tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
