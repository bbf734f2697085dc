import { apiQuery, filtersFromSearch, isFiltered, searchFromFilters } from './sessionFilters';

describe('session filters in the URL', () => {
  it('round-trip through the URL', () => {
    const search = new URLSearchParams('status=failed&severity=red&duration=long&hasErrors=true&sort=errors');
    const filters = filtersFromSearch(search);
    expect(filters).toEqual({
      status: 'failed', hasIssues: '', severity: 'red', duration: 'long', hasErrors: 'true', sort: 'errors',
    });
    expect(searchFromFilters(filters).toString()).toBe(search.toString());
    expect(isFiltered(filters)).toBe(true);
  });

  it('ignore values the list does not know, and leave the default order out of the URL', () => {
    const filters = filtersFromSearch(new URLSearchParams('status=exploded&sort=newest&severity=green'));
    expect(filters.status).toBe('');
    expect(filters.severity).toBe('');
    expect(searchFromFilters(filters).toString()).toBe('');
    expect(isFiltered(filters)).toBe(false);
  });

  it('become the api query, durations as seconds', () => {
    const filters = filtersFromSearch(new URLSearchParams('duration=medium&hasIssues=true&sort=longest'));
    expect(apiQuery(filters, 'abc', 20)).toBe(
      'hasIssues=true&minDuration=60&maxDuration=600&sort=longest&cursor=abc&limit=20');
  });
});
