import type { IssueListItem, IssueStatus } from '../api/types';

/** The board's columns, left to right, and the statuses each shows; the end states fold into "closed". */
export const COLUMNS = [
  { key: 'detected', label: 'Detected', statuses: ['detected', 'screening'] },
  { key: 'queued', label: 'Queued', statuses: ['queued'] },
  { key: 'fixing', label: 'Fixing', statuses: ['fixing'] },
  { key: 'pr_open', label: 'PR open', statuses: ['pr_open'] },
  { key: 'merged', label: 'Merged', statuses: ['merged'] },
  { key: 'closed', label: 'Closed', statuses: ['false_alarm', 'fix_failed', 'pr_closed'] },
] as const satisfies readonly { key: string; label: string; statuses: readonly IssueStatus[] }[];

export type ColumnKey = (typeof COLUMNS)[number]['key'];

export function columnOf(status: IssueStatus): ColumnKey {
  return COLUMNS.find((column) => (column.statuses as readonly IssueStatus[]).includes(status))?.key ?? 'detected';
}

const SEVERITY_RANK: Record<string, number> = { red: 0, yellow: 1 };

/**
 * The problem that hurt the most people leads: users affected, then sessions; between equals the red one (it is what
 * someone would fix first), then the newest.
 */
export function byOccurrences(a: IssueListItem, b: IssueListItem): number {
  return b.userCount - a.userCount || b.sessionCount - a.sessionCount
    || (SEVERITY_RANK[a.severity] ?? 2) - (SEVERITY_RANK[b.severity] ?? 2)
    || (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b._id.localeCompare(a._id);
}

/** Every column (empty ones too, so the board keeps its shape), each sorted by occurrences. */
export function groupIntoColumns(issues: IssueListItem[]): Record<ColumnKey, IssueListItem[]> {
  const columns = Object.fromEntries(COLUMNS.map((column) => [column.key, [] as IssueListItem[]])) as
    Record<ColumnKey, IssueListItem[]>;
  for (const issue of issues) columns[columnOf(issue.status)].push(issue);
  for (const key of Object.keys(columns) as ColumnKey[]) columns[key].sort(byOccurrences);
  return columns;
}

// The board's filters live in the URL, as the sessions list's do.
export interface IssueFilters {
  severity: string;
  status: string;
  source: string;
}

export const SEVERITIES = { red: 'Red', yellow: 'Yellow' };
export const STATUSES: Record<IssueStatus, string> = {
  detected: 'Detected', screening: 'Screening', queued: 'Queued', fixing: 'Fixing', pr_open: 'PR open',
  merged: 'Merged', false_alarm: 'False alarm', fix_failed: 'Fix failed', pr_closed: 'PR closed',
};
export const SOURCES = { video: 'Video', session_data: 'Session data', both: 'Both' };

const ALLOWED: Record<keyof IssueFilters, string[]> = {
  severity: Object.keys(SEVERITIES), status: Object.keys(STATUSES), source: Object.keys(SOURCES),
};
const KEYS = Object.keys(ALLOWED) as (keyof IssueFilters)[];

export function issueFiltersFromSearch(search: URLSearchParams): IssueFilters {
  const filters = {} as IssueFilters;
  for (const key of KEYS) {
    const value = search.get(key) ?? '';
    filters[key] = ALLOWED[key].includes(value) ? value : '';
  }
  return filters;
}

export function searchFromIssueFilters(filters: IssueFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of KEYS) if (filters[key]) search.set(key, filters[key]);
  return search;
}

/** The api's query for one page of the board. */
export function issuesApiQuery(filters: IssueFilters, cursor: string | null, limit: number): string {
  const query = searchFromIssueFilters(filters);
  if (cursor) query.set('cursor', cursor);
  query.set('limit', String(limit));
  return query.toString();
}
