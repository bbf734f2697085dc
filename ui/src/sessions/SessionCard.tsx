import { Link } from 'react-router';
import type { SessionListItem } from '../api/types';
import { formatDuration, formatStart, shortUrl } from './format';
import { StatusBadge } from './StatusBadge';
import { WaitingBadge } from '../frame/WaitingBadge';

/** One session in the list: thumbnail in a fixed 16:9 box (no layout shift), who, how long, when, where, what went wrong. */
export function SessionCard({ session }: { session: SessionListItem }) {
  const user = session.userEmail || session.userId || 'Anonymous user';
  const red = session.issueCount?.red ?? 0;
  const yellow = session.issueCount?.yellow ?? 0;
  return (
    <li className="session-card">
      <Link to={`/sessions/${session._id}`} className="card-link" aria-label={`Session of ${user}, ${formatDuration(
        session.duration)}, ${session.status}`}>
        <div className="thumb">
          {session.thumbnailUrl ? (
            <img src={session.thumbnailUrl} alt="" width={320} height={180} loading="lazy" decoding="async" />
          ) : (
            <span className="thumb-empty">{session.status === 'failed' ? 'No video' : 'Rendering…'}</span>
          )}
          <span className="duration">{formatDuration(session.duration)}</span>
        </div>
        <div className="card-body">
          <div className="card-top">
            <span className="user" title={user}>{user}</span>
            <StatusBadge status={session.status} />
          </div>
          <div className="muted small">{formatStart(session.startTime)}</div>
          {session.firstUrl && <div className="url small" title={session.firstUrl}>{shortUrl(session.firstUrl)}</div>}
          <ul className="chips" aria-label="Problems">
            <li className={red ? 'chip chip-red' : 'chip chip-none'}>{red} red</li>
            <li className={yellow ? 'chip chip-yellow' : 'chip chip-none'}>{yellow} yellow</li>
            <li className={session.consoleErrorCount ? 'chip chip-console' : 'chip chip-none'}>
              {session.consoleErrorCount} console {session.consoleErrorCount === 1 ? 'error' : 'errors'}
            </li>
            <li className={session.networkFailureCount ? 'chip chip-network' : 'chip chip-none'}>
              {session.networkFailureCount} failed {session.networkFailureCount === 1 ? 'request' : 'requests'}
            </li>
          </ul>
          {session.status === 'analyzing' && <WaitingBadge reason={session.waitingReason} />}
          {session.status === 'failed' && session.lastError && (
            <p className="error-line small" title={session.lastError}>{session.lastError}</p>
          )}
        </div>
      </Link>
    </li>
  );
}
