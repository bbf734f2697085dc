import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ConsoleRow, IssueRow, NetworkRow } from './issueTimes';
import { issueSource } from './issueTimes';
import { formatClock, indexAtOrBefore, rowSeekTime } from './timeline';

export type Tab = 'issues' | 'console' | 'network';

interface Props {
  tab: Tab;
  onTab: (tab: Tab) => void;
  currentTime: number;
  issueRows: IssueRow[];
  consoleRows: ConsoleRow[];
  networkRows: NetworkRow[];
  selectedIssue: string | null;
  /** Bumped on every marker click, so selecting the same issue again scrolls to it again. */
  selectionNonce: number;
  onSeek: (time: number) => void;
}

/** Issues, console errors and failed requests, each list synced to the playhead. */
export function SidePanel(props: Props) {
  const { tab, onTab, issueRows, consoleRows, networkRows } = props;
  const tabs: [Tab, string][] = [
    ['issues', `Issues (${issueRows.length})`],
    ['console', `Console (${consoleRows.length})`],
    ['network', `Network (${networkRows.length} failed)`],
  ];
  const onKeyDown = (event: React.KeyboardEvent) => {
    const index = tabs.findIndex(([key]) => key === tab);
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.stopPropagation();
      const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length][0];
      onTab(next);
      document.getElementById(`tab-${next}`)?.focus();
    }
  };
  return (
    <aside className="side-panel" aria-label="Session details">
      <div role="tablist" aria-label="Session details" className="tabs" onKeyDown={onKeyDown}>
        {tabs.map(([key, label]) => (
          <button key={key} id={`tab-${key}`} role="tab" type="button" aria-selected={tab === key}
            aria-controls={`panel-${key}`} tabIndex={tab === key ? 0 : -1} onClick={() => onTab(key)}>
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'issues' && <IssuesList {...props} />}
        {tab === 'console' && <ConsoleList {...props} />}
        {tab === 'network' && <NetworkList {...props} />}
      </div>
    </aside>
  );
}

function SearchBox({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  return (
    <label className="search">
      <span className="visually-hidden">{label}</span>
      <input type="search" placeholder={label} value={value} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}

function IssuesList({ issueRows, currentTime, onSeek, selectedIssue, selectionNonce }: Props) {
  const [severity, setSeverity] = useState('');
  const [text, setText] = useState('');
  const rows = useMemo(() => issueRows.filter((row) =>
    (!severity || row.issue.severity === severity)
    && matches(text, row.issue.title, row.issue.description)), [issueRows, severity, text]);
  return (
    <>
      <div className="list-filters">
        <label className="filter compact">
          <span className="visually-hidden">Severity</span>
          <select value={severity} onChange={(event) => setSeverity(event.target.value)} aria-label="Severity">
            <option value="">All severities</option>
            <option value="red">Red</option>
            <option value="yellow">Yellow</option>
          </select>
        </label>
        <SearchBox value={text} onChange={setText} label="Search issues" />
      </div>
      <SyncedList rows={rows} currentTime={currentTime} empty={issueRows.length ? 'No issue matches.'
        : 'No issues found in this session.'} selectedId={selectedIssue} selectionNonce={selectionNonce}
        estimate={120} render={(row) => (
          <div className={`row issue-row sev-${row.issue.severity}`}>
            <TimeButton time={row.time} onSeek={onSeek} />
            <div className="row-main">
              <div className="row-title">
                <span className={`badge sev sev-${row.issue.severity}`}>{row.issue.severity}</span>
                <span className="title-text">{row.issue.title}</span>
              </div>
              {row.issue.description && <p className="row-text">{row.issue.description}</p>}
              <div className="row-meta small muted">
                <span>{issueSource(row.issue)}</span>
                <span>{row.issue.sessionCount} {row.issue.sessionCount === 1 ? 'session' : 'sessions'},
                  {' '}{row.issue.userCount} {row.issue.userCount === 1 ? 'user' : 'users'}</span>
                <span className="badge">{row.issue.status.replace('_', ' ')}</span>
                <Link to={`/issues/${row.issue._id}`}>Open issue</Link>
              </div>
            </div>
          </div>
        )} />
    </>
  );
}

function ConsoleList({ consoleRows, currentTime, onSeek }: Props) {
  const [text, setText] = useState('');
  const rows = useMemo(() => consoleRows.filter((row) => matches(text, row.error.message, row.error.url)),
    [consoleRows, text]);
  return (
    <>
      <div className="list-filters">
        <span className="small muted">Level: errors</span>
        <SearchBox value={text} onChange={setText} label="Search console" />
      </div>
      <SyncedList rows={rows} currentTime={currentTime} estimate={56}
        empty={consoleRows.length ? 'No console error matches.' : 'No console errors in this session.'}
        render={(row) => (
          <div className="row console-row">
            <TimeButton time={row.time} onSeek={onSeek} />
            <div className="row-main">
              <code className="row-text mono" title={row.error.stack ?? row.error.message}>{row.error.message}</code>
              {row.error.url && <div className="small muted url">{row.error.url}</div>}
            </div>
          </div>
        )} />
    </>
  );
}

function statusClass(status: number): string {
  if (status === 0) return 'none';
  return status >= 500 ? '5xx' : '4xx';
}

function NetworkList({ networkRows, currentTime, onSeek }: Props) {
  const [text, setText] = useState('');
  const [kind, setKind] = useState('');
  const [method, setMethod] = useState('');
  const methods = useMemo(() => [...new Set(networkRows.map((row) => row.failure.method ?? 'GET'))].sort(),
    [networkRows]);
  const rows = useMemo(() => networkRows.filter((row) =>
    (!kind || statusClass(row.failure.status) === kind)
    && (!method || (row.failure.method ?? 'GET') === method)
    && matches(text, row.failure.url, row.failure.error)), [networkRows, kind, method, text]);
  return (
    <>
      <div className="list-filters">
        <select value={kind} onChange={(event) => setKind(event.target.value)} aria-label="Status">
          <option value="">All failures</option>
          <option value="4xx">4xx</option>
          <option value="5xx">5xx</option>
          <option value="none">No response</option>
        </select>
        <select value={method} onChange={(event) => setMethod(event.target.value)} aria-label="Method">
          <option value="">All methods</option>
          {methods.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
        <SearchBox value={text} onChange={setText} label="Search requests" />
      </div>
      <SyncedList rows={rows} currentTime={currentTime} estimate={56}
        empty={networkRows.length ? 'No request matches.' : 'No failed requests in this session.'}
        render={(row) => (
          <div className="row network-row">
            <TimeButton time={row.time} onSeek={onSeek} />
            <div className="row-main">
              <div className="row-title">
                <span className={`badge http http-${statusClass(row.failure.status)}`}>
                  {row.failure.status || 'failed'}
                </span>
                <span className="mono small">{row.failure.method ?? 'GET'}</span>
                {row.failure.durationMs !== null && row.failure.durationMs !== undefined && (
                  <span className="small muted">{Math.round(row.failure.durationMs)} ms</span>
                )}
              </div>
              <div className="mono small url" title={row.failure.url}>{row.failure.url}</div>
              {row.failure.error && <div className="small muted">{row.failure.error}</div>}
            </div>
          </div>
        )} />
    </>
  );
}

function matches(query: string, ...fields: (string | null | undefined)[]): boolean {
  if (!query.trim()) return true;
  const needle = query.trim().toLowerCase();
  return fields.some((field) => field?.toLowerCase().includes(needle));
}

function TimeButton({ time, onSeek }: { time: number; onSeek: (time: number) => void }) {
  return (
    <button type="button" className="time-button" onClick={() => onSeek(rowSeekTime(time))}
      aria-label={`Play from ${formatClock(rowSeekTime(time))}`}>
      {formatClock(time)}
    </button>
  );
}

/**
 * A virtualised list (10,000 rows stay smooth) whose row at or before the playhead is highlighted and kept in view.
 * Scrolling by hand stops the following until "Jump to current time".
 */
function SyncedList<T extends { id: string; time: number }>({ rows, currentTime, render, empty, estimate, selectedId,
  selectionNonce }: {
  rows: T[]; currentTime: number; render: (row: T) => ReactNode; empty: string; estimate: number;
  selectedId?: string | null; selectionNonce?: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const times = useMemo(() => rows.map((row) => row.time), [rows]);
  const active = indexAtOrBefore(times, currentTime);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimate,
    overscan: 8,
  });

  useEffect(() => {
    if (following && active >= 0) virtualizer.scrollToIndex(active, { align: 'center' });
  }, [active, following, virtualizer]);

  useEffect(() => {
    if (!selectedId) return;
    const index = rows.findIndex((row) => row.id === selectedId);
    if (index >= 0) {
      setFollowing(false);
      virtualizer.scrollToIndex(index, { align: 'start' });
    }
    // selectionNonce: a second click on the same marker scrolls to it again
  }, [selectedId, selectionNonce, rows, virtualizer]);

  const stopFollowing = () => setFollowing(false);
  if (rows.length === 0) return <p className="list-empty muted">{empty}</p>;
  return (
    <div className="synced">
      {!following && (
        <button type="button" className="jump" onClick={() => setFollowing(true)}>Jump to current time</button>
      )}
      <div ref={scrollRef} className="list-scroll" onWheel={stopFollowing} onTouchMove={stopFollowing}
        onKeyDown={(event) => {
          if (['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown'].includes(event.key)) stopFollowing();
        }}>
        <ol style={{ height: virtualizer.getTotalSize(), position: 'relative' }} className="rows">
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            const classes = ['row-slot'];
            if (item.index === active) classes.push('current');
            if (row.id === selectedId) classes.push('selected');
            return (
              <li key={row.id} data-index={item.index} ref={virtualizer.measureElement} className={classes.join(' ')}
                aria-current={item.index === active ? 'time' : undefined} data-row-id={row.id}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
                {render(row)}
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
