import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, postAsAdmin, sendAsAdmin } from '../api/client';
import type { FalseAlarm } from '../api/types';

/** Every false-alarm pattern, newest first (the api lists up to 1,000). */
export function useFalseAlarms() {
  return useQuery({
    queryKey: ['false-alarms'],
    queryFn: ({ signal }) => getJson<FalseAlarm[]>('/api/false-alarms?limit=1000', signal),
    refetchInterval: 10_000,
  });
}

export interface NewFalseAlarm {
  pattern: string;
  reason: string;
  issueId?: string;
}

export function useAddFalseAlarm() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (alarm: NewFalseAlarm) => postAsAdmin<FalseAlarm>('/api/false-alarms', alarm),
    onSuccess: () => client.invalidateQueries({ queryKey: ['false-alarms'] }),
  });
}

export function useDeleteFalseAlarm() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendAsAdmin<void>('DELETE', `/api/false-alarms/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['false-alarms'] }),
  });
}
