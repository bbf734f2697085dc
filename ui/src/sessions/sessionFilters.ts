// The sessions list's filters and sort live in the URL, so a reload or a shared link shows the same list.

export interface SessionFilters {
  status: string;
  hasIssues: string;
  severity: string;
  duration: string;
  hasErrors: string;
  sort: string;
}

export const STATUSES = ['pending', 'rendering', 'analyzing', 'complete', 'failed'] as const;

/** Duration choices and the api's `minDuration`/`maxDuration` (seconds) for each. */
export const DURATIONS: Record<string, { label: string; min?: number; max?: number }> = {
  short: { label: 'Under 1 min', max: 60 },
  medium: { label: '1–10 min', min: 60, max: 600 },
  long: { label: 'Over 10 min', min: 600 },
};

export const SORTS: Record<string, string> = { newest: 'Newest', longest: 'Longest', errors: 'Most errors' };

const KEYS: (keyof SessionFilters)[] = ['status', 'hasIssues', 'severity', 'duration', 'hasErrors', 'sort'];

const ALLOWED: Record<keyof SessionFilters, readonly string[]> = {
  status: STATUSES,
  hasIssues: ['true', 'false'],
  severity: ['red', 'yellow'],
  duration: Object.keys(DURATIONS),
  hasErrors: ['true', 'false'],
  sort: Object.keys(SORTS),
};

/** The filters a URL asks for; a value the list does not know is ignored rather than sent on. */
export function filtersFromSearch(search: URLSearchParams): SessionFilters {
  const filters = {} as SessionFilters;
  for (const key of KEYS) {
    const value = search.get(key) ?? '';
    filters[key] = ALLOWED[key].includes(value) ? value : '';
  }
  return filters;
}

/** The URL's query for `filters`: only what narrows or orders the list (newest is the default order). */
export function searchFromFilters(filters: SessionFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value && !(key === 'sort' && value === 'newest')) search.set(key, value);
  }
  return search;
}

export function isFiltered(filters: SessionFilters): boolean {
  return KEYS.some((key) => key !== 'sort' && filters[key] !== '');
}

/** The api's query parameters for `filters`. */
export function apiQuery(filters: SessionFilters, cursor?: string | null, limit = 30): string {
  const query = new URLSearchParams();
  if (filters.status) query.set('status', filters.status);
  if (filters.hasIssues) query.set('hasIssues', filters.hasIssues);
  if (filters.severity) query.set('severity', filters.severity);
  if (filters.hasErrors) query.set('hasErrors', filters.hasErrors);
  const duration = DURATIONS[filters.duration];
  if (duration?.min !== undefined) query.set('minDuration', String(duration.min));
  if (duration?.max !== undefined) query.set('maxDuration', String(duration.max));
  if (filters.sort && filters.sort !== 'newest') query.set('sort', filters.sort);
  if (cursor) query.set('cursor', cursor);
  query.set('limit', String(limit));
  return query.toString();
}
