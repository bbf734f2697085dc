import { useConnectionState } from '../agents/feed/useConnectionState';
import './FeedIndicator.css';

const TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

/** The live feed's connection (`/ws/agents`), in the header on every page. */
export function FeedIndicator() {
  const state = useConnectionState();
  return (
    <p className={`feed-indicator feed-${state}`} role="status" title="Live agent feed (/ws/agents)">
      <span className="feed-dot" aria-hidden="true" />
      <span className="visually-hidden">Live feed: </span>{TEXT[state]}
    </p>
  );
}
