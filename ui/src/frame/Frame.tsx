import { NavLink, Outlet } from 'react-router';
import { SpendToday } from './SpendToday';
import { useStats } from './useStats';
import { FeedIndicator } from './FeedIndicator';
import type { Stats } from '../api/types';

const NAV = [
  { to: '/', label: 'Sessions', end: true },
  { to: '/issues', label: 'Issues' },
  { to: '/agents', label: 'Agents' },
  { to: '/false-alarms', label: 'False alarms' },
  { to: '/settings', label: 'Settings' },
];

/** Every page's frame: the name, the navigation, counts per stage, then the page. */
export function Frame() {
  return (
    <div className="frame">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="frame-header">
        <NavLink to="/" className="brand" aria-label="Truffles, sessions">
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" className="brand-mark">
            <circle cx="10" cy="11" r="8" fill="#6b4a3a" />
            <circle cx="7" cy="9" r="1.4" fill="#a47f69" />
            <circle cx="12.5" cy="12.5" r="1.2" fill="#a47f69" />
            <circle cx="11" cy="6.5" r="1" fill="#a47f69" />
          </svg>
          Truffles
        </NavLink>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <StageCounts />
        <FeedIndicator />
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

const OPEN_ISSUES = ['detected', 'screening', 'queued', 'fixing', 'pr_open'] as const;
const LIVE_AGENTS = ['queued', 'starting', 'verifying', 'planning', 'coding', 'reviewing'];

export function stageCounts(stats: Stats) {
  const s = stats.sessions;
  return {
    processing: (s.pending ?? 0) + (s.rendering ?? 0) + (s.analyzing ?? 0),
    complete: s.complete ?? 0,
    failed: s.failed ?? 0,
    openIssues: OPEN_ISSUES.reduce((sum, status) => sum + (stats.issues[status] ?? 0), 0),
    liveAgents: LIVE_AGENTS.reduce((sum, status) => sum + (stats.agents[status] ?? 0), 0),
  };
}

function StageCounts() {
  const { data, isError } = useStats();
  if (isError) return <p className="counts counts-error" role="status">Counts unavailable</p>;
  if (!data) return <p className="counts" aria-hidden="true" />;
  const counts = stageCounts(data);
  return (
    <dl className="counts" aria-label="Counts">
      <div><dt>Processing</dt><dd>{counts.processing}</dd></div>
      <div><dt>Complete</dt><dd>{counts.complete}</dd></div>
      <div className={counts.failed > 0 ? 'count-bad' : undefined}><dt>Failed</dt><dd>{counts.failed}</dd></div>
      <div><dt>Open issues</dt><dd>{counts.openIssues}</dd></div>
      <div><dt>Agents</dt><dd>{counts.liveAgents}</dd></div>
      <SpendToday stats={data} />
    </dl>
  );
}
