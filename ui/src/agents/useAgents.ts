import { useEffect } from 'react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson } from '../api/client';
import type { AgentSession, AgentsOverview, Page } from '../api/types';
import { sharedFeed, type AgentFeedClient } from './feed/AgentFeedClient';

/** Rows of the finished list per page. */
export const FINISHED_PAGE = 25;

/**
 * Running and queued agents with their usage: asked again on every status change the feed reports (a new agent,
 * a phase, an end), and every 5 s for the cost and tokens of the phases that ended meanwhile.
 */
export function useAgentsOverview(feed: AgentFeedClient = sharedFeed()) {
  const client = useQueryClient();
  useEffect(() => feed.onMessage((message) => {
    if (message.type === 'status') {
      client.invalidateQueries({ queryKey: ['agents'] });
    }
  }), [client, feed]);
  return useQuery({
    queryKey: ['agents', 'overview'],
    queryFn: ({ signal }) => getJson<AgentsOverview>('/api/agents', signal),
    refetchInterval: 5000,
  });
}

/** Agents that ended, newest first, page after page on the api's cursor. */
export function useFinishedAgents() {
  return useInfiniteQuery({
    queryKey: ['agents', 'finished'],
    queryFn: ({ pageParam, signal }) => getJson<Page<AgentSession>>(
      `/api/agents/finished?limit=${FINISHED_PAGE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
