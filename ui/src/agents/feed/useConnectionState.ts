import { useSyncExternalStore } from 'react';
import { sharedFeed, type AgentFeedClient, type ConnectionState } from './AgentFeedClient';

/** The tab's feed connection state, for the header's indicator and the agent page's "Reconnecting…". */
export function useConnectionState(feed: AgentFeedClient = sharedFeed()): ConnectionState {
  return useSyncExternalStore((listener) => feed.onState(listener), () => feed.state);
}
