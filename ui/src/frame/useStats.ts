import { useQuery } from '@tanstack/react-query';
import { getJson } from '../api/client';
import type { Stats } from '../api/types';

/** Counts per stage and where sessions come from, for the header and the empty list. */
export function useStats() {
  return useQuery({
    queryKey: ['stats'],
    queryFn: ({ signal }) => getJson<Stats>('/api/stats', signal),
    refetchInterval: 5000,
  });
}
