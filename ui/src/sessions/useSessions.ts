import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, postAsAdmin } from '../api/client';
import type { Page, RecordingSource, SessionDetail, SessionListItem } from '../api/types';
import { apiQuery, type SessionFilters } from './sessionFilters';

/** How often the open list asks again, so new sessions and status changes show within 5 s without a reload. */
export const LIST_REFRESH_MS = 3000;

/** The sessions list, page after page on the api's cursor, refreshed while it is open. */
export function useSessions(filters: SessionFilters) {
  return useInfiniteQuery({
    queryKey: ['sessions', filters],
    queryFn: ({ pageParam, signal }) =>
      getJson<Page<SessionListItem>>(`/api/sessions?${apiQuery(filters, pageParam)}`, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: LIST_REFRESH_MS,
  });
}

/**
 * One session. Its presigned URLs last an hour (the api serves each with at least 55 minutes left), so the page asks
 * again every 20 minutes to hold fresh ones long before they expire; while it is not complete it asks every 3 s.
 */
export function useSession(id: string) {
  return useQuery({
    queryKey: ['session', id],
    queryFn: ({ signal }) => getJson<SessionDetail>(`/api/sessions/${encodeURIComponent(id)}`, signal),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'complete' || status === 'failed' ? 20 * 60_000 : LIST_REFRESH_MS;
    },
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: false,
  });
}

/** Queues a failed session again (admin). */
export function useRetrySession(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => postAsAdmin<SessionDetail>(`/api/sessions/${encodeURIComponent(id)}/retry`),
    onSuccess: (session) => {
      client.setQueryData(['session', id], session);
      client.invalidateQueries({ queryKey: ['sessions'] });
    },
  });
}

/** Where sessions come from, for the empty list. */
export function useRecordingSource() {
  return useQuery({
    queryKey: ['recording-source'],
    queryFn: ({ signal }) => getJson<RecordingSource>('/api/sessions/source', signal),
    staleTime: Infinity,
  });
}
