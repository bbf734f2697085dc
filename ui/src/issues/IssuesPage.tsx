import { useSearchParams } from 'react-router';
import { Select } from '../sessions/SessionsPage';
import {
  COLUMNS, SEVERITIES, SOURCES, STATUSES, groupIntoColumns, issueFiltersFromSearch, searchFromIssueFilters,
  type IssueFilters,
} from './board';
import { IssueCard } from './IssueCard';
import { BOARD_MAX, useBoardIssues } from './useIssues';

/** The issues board: a column per stage, from detected to merged, and the closed ones. */
export default function IssuesPage() {
  const [search, setSearch] = useSearchParams();
  const filters = issueFiltersFromSearch(search);
  const issues = useBoardIssues(filters);
  const set = (key: keyof IssueFilters, value: string) =>
    setSearch(searchFromIssueFilters({ ...filters, [key]: value }), { replace: true });
  const filtered = Object.values(filters).some(Boolean);
  const columns = groupIntoColumns(issues.data?.items ?? []);

  return (
    <section className="page issues-page" aria-labelledby="issues-title">
      <div className="page-head">
        <h1 id="issues-title">Issues</h1>
        <form className="filters" aria-label="Filter issues" onSubmit={(event) => event.preventDefault()}>
          <Select label="Severity" value={filters.severity} onChange={(v) => set('severity', v)} options={SEVERITIES} />
          <Select label="Status" value={filters.status} onChange={(v) => set('status', v)} options={STATUSES} />
          <Select label="Source" value={filters.source} onChange={(v) => set('source', v)} options={SOURCES} />
          {filtered && (
            <button type="button" className="link-button" onClick={() => setSearch(new URLSearchParams(), {
              replace: true })}>Clear filters</button>
          )}
        </form>
      </div>
      {issues.isPending && <p role="status" className="loading">Loading issues…</p>}
      {issues.isError && <p role="alert" className="error-box">Could not load the issues: {issues.error.message}</p>}
      {issues.data?.truncated && (
        <p className="note" role="status">Showing the first {BOARD_MAX} issues by sessions affected; narrow the
          filters to see the rest.</p>
      )}
      {issues.isSuccess && issues.data.items.length === 0 && (
        <p className="empty">{filtered ? 'No issue matches these filters.'
          : 'No issues yet. Issues appear here as sessions are analysed.'}</p>
      )}
      {issues.isSuccess && issues.data.items.length > 0 && (
        <div className="board">
          {COLUMNS.map((column) => (
            <section key={column.key} className="board-column" aria-labelledby={`column-${column.key}`}
              data-column={column.key}>
              <h2 id={`column-${column.key}`}>{column.label} <span className="muted">{columns[column.key].length}</span></h2>
              <ul aria-label={column.label}>
                {columns[column.key].map((issue) => <IssueCard key={issue._id} issue={issue} />)}
              </ul>
            </section>
          ))}
        </div>
      )}
    </section>
  );
}
