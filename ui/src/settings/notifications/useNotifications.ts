import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, getJson, sendAsAdmin } from '../../api/client';
import type { ChannelType } from './notificationEvents';

/** A channel as `GET /api/notifications/channels` shows it: URL and secret masked to their last 4 characters. */
export interface Channel {
  _id: string;
  type: ChannelType;
  name: string | null;
  url: string;
  secret: string | null;
  events: string[];
  /** The quiet rule: news of a problem at most once an hour (absent on an old api: on). */
  quiet: boolean;
  paused: boolean;
  pausedReason: string | null;
  consecutiveFailures: number;
  lastDelivery: { at: string | null; ok: boolean; status: number | null; error: string | null } | null;
  createdAt: string | null;
}

/** One channel's copy of a notification, as `GET /api/notifications` shows it. */
export interface Delivery {
  channelId: string;
  channelName?: string | null;
  channelType?: string | null;
  /** sent / failed / quieted / pending / sending / paused */
  state?: string;
  status?: string;
  attempts?: number;
  lastStatus?: number | null;
  lastError?: string | null;
}

export interface NotificationRecord {
  _id?: string;
  key?: string;
  event: string;
  subjectId?: string | null;
  at?: string | null;
  createdAt?: string | null;
  /** What was true at the event (the threshold crossed, the spend): the outbox entry's facts. */
  facts?: Record<string, unknown> | null;
  deliveries?: Delivery[];
}

/** What "Send test message" answered: the receiver's status, or why it failed. */
export interface TestResult {
  ok: boolean;
  status: number | null;
  error?: string | null;
}

const CHANNELS = ['notifications', 'channels'];
const RECENT = ['notifications', 'recent'];

/** The channels (an open read, like every GET: the api masks URLs and secrets to their last 4 characters). */
export function useChannels() {
  return useQuery({
    queryKey: CHANNELS,
    queryFn: ({ signal }) => getJson<Channel[]>('/api/notifications/channels', signal),
    refetchInterval: 5_000,
  });
}

/** The latest notifications with each delivery's state, asked again every 5 s while the page is open. */
export function useRecentNotifications(limit = 20) {
  return useQuery({
    queryKey: [...RECENT, limit],
    queryFn: ({ signal }) => getJson<NotificationRecord[]>(`/api/notifications?limit=${limit}`, signal),
    refetchInterval: 5_000,
  });
}

export function useAddChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => sendAsAdmin<Channel>('POST', '/api/notifications/channels', body),
    onSuccess: () => client.invalidateQueries({ queryKey: CHANNELS }),
  });
}

export function useDeleteChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendAsAdmin<void>('DELETE', `/api/notifications/channels/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: CHANNELS }),
  });
}

/** What `PATCH /api/notifications/channels/<id>` changes; what is left out stays. */
export interface ChannelChange {
  quiet?: boolean;
  events?: string[];
}

export function useChangeChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: ChannelChange }) => sendAsAdmin<Channel>('PATCH',
      `/api/notifications/channels/${encodeURIComponent(id)}`, change),
    onSuccess: () => client.invalidateQueries({ queryKey: CHANNELS }),
  });
}

export function useResumeChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendAsAdmin<Channel>('POST',
      `/api/notifications/channels/${encodeURIComponent(id)}/resume`),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: CHANNELS });
      client.invalidateQueries({ queryKey: RECENT });
    },
  });
}

/**
 * Sends a test message now. The api answers 502 with `{ok: false, status, error}` when the receiver refused it or
 * could not be reached: that is a result to show, not an error of the page.
 */
export async function sendTestMessage(id: string): Promise<TestResult> {
  try {
    return await sendAsAdmin<TestResult>('POST', `/api/notifications/channels/${encodeURIComponent(id)}/test`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 502) {
      return { ok: false, status: null, error: error.message };
    }
    throw error;
  }
}
