import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { useRecordingSource, useSessions } from './useSessions';
import { SessionCard } from './SessionCard';
import {
  DURATIONS, SORTS, STATUSES, filtersFromSearch, isFiltered, searchFromFilters, type SessionFilters,
} from './sessionFilters';

export default function SessionsPage() {
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const sessions = useSessions(filters);
  const items = sessions.data?.pages.flatMap((page) => page.items) ?? [];

  const set = (key: keyof SessionFilters, value: string) =>
    setSearch(searchFromFilters({ ...filters, [key]: value }), { replace: true });

  return (
    <section className="page sessions-page" aria-labelledby="sessions-title">
      <div className="page-head">
        <h1 id="sessions-title">Sessions</h1>
        <form className="filters" aria-label="Filter sessions" onSubmit={(event) => event.preventDefault()}>
          <Select label="Status" value={filters.status} onChange={(v) => set('status', v)}
            options={Object.fromEntries(STATUSES.map((s) => [s, s[0].toUpperCase() + s.slice(1)]))} />
          <Select label="Issues" value={filters.hasIssues} onChange={(v) => set('hasIssues', v)}
            options={{ true: 'With issues', false: 'Without issues' }} />
          <Select label="Severity" value={filters.severity} onChange={(v) => set('severity', v)}
            options={{ red: 'Red', yellow: 'Yellow' }} />
          <Select label="Duration" value={filters.duration} onChange={(v) => set('duration', v)}
            options={Object.fromEntries(Object.entries(DURATIONS).map(([k, d]) => [k, d.label]))} />
          <Select label="Errors" value={filters.hasErrors} onChange={(v) => set('hasErrors', v)}
            options={{ true: 'With errors', false: 'Without errors' }} />
          <Select label="Sort" value={filters.sort || 'newest'} onChange={(v) => set('sort', v)} options={SORTS}
            noAny />
          {isFiltered(filters) && (
            <button type="button" className="link-button" onClick={() => setSearch(new URLSearchParams(), {
              replace: true })}>Clear filters</button>
          )}
        </form>
      </div>

      {sessions.isPending && <p role="status" className="loading">Loading sessions…</p>}
      {sessions.isError && (
        <p role="alert" className="error-box">Could not load the sessions: {sessions.error.message}</p>
      )}
      {sessions.isSuccess && items.length === 0 && (
        isFiltered(filters) ? <NoMatch onClear={() => setSearch(new URLSearchParams(), { replace: true })} />
          : <EmptyState />
      )}
      {items.length > 0 && (
        <ul className="session-grid" aria-label="Sessions" aria-busy={sessions.isFetchingNextPage}>
          {items.map((session) => <SessionCard key={session._id} session={session} />)}
        </ul>
      )}
      {sessions.hasNextPage && (
        <MoreSessions loading={sessions.isFetchingNextPage} onMore={() => sessions.fetchNextPage()} />
      )}
    </section>
  );
}

export function Select({ label, value, options, onChange, noAny }: {
  label: string; value: string; options: Record<string, string>; onChange: (value: string) => void; noAny?: boolean;
}) {
  return (
    <label className="filter">
      <span>{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {!noAny && <option value="">Any</option>}
        {Object.entries(options).map(([key, text]) => <option key={key} value={key}>{text}</option>)}
      </select>
    </label>
  );
}

/** Loads the next page when it scrolls into view (infinite scroll), and is a button for keyboards. */
function MoreSessions({ loading, onMore }: { loading: boolean; onMore: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) onMore();
    }, { rootMargin: '600px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [onMore]);
  return (
    <div className="more">
      <button ref={ref} type="button" onClick={onMore} disabled={loading}>
        {loading ? 'Loading more…' : 'Load more sessions'}
      </button>
    </div>
  );
}

function NoMatch({ onClear }: { onClear: () => void }) {
  return (
    <div className="empty">
      <h2>No sessions match these filters</h2>
      <button type="button" onClick={onClear}>Clear filters</button>
    </div>
  );
}

/** What a newcomer does to see a first session. */
export function EmptyState() {
  const { data: ingest } = useRecordingSource();
  return (
    <div className="empty" data-testid="empty-state">
      <h2>No sessions yet</h2>
      {ingest?.source === 'posthog' ? (
        <p>
          Truffles polls PostHog for finished recordings; the first ones appear here once the poller has fetched them.
        </p>
      ) : (
        <>
          <p>Two ways to get your first session:</p>
          <ol>
            <li>
              Drop an rrweb recording (a JSON array of events, or PostHog's export) into the inbox folder
              {ingest?.inboxPath ? <> <code className="path">{ingest.inboxPath}</code></> : ' (INBOX_PATH)'}.
              It appears here within seconds.
            </li>
            <li>
              Or set <code>POSTHOG_API_KEY</code> and <code>POSTHOG_PROJECT_ID</code> in <code>.env</code> and restart
              with <code>./truffles up</code>: Truffles then polls your PostHog project.
            </li>
          </ol>
        </>
      )}
    </div>
  );
}
