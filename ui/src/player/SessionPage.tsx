import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useRetrySession, useSession } from '../sessions/useSessions';
import { StatusBadge } from '../sessions/StatusBadge';
import { formatDuration, formatStart } from '../sessions/format';
import { ApiError } from '../api/client';
import type { SessionDetail } from '../api/types';
import { useAdminAction } from '../settings/useAdminAction';
import { usePlayback } from './usePlayback';
import { Timeline, type EventMarker, type IssueMarker } from './Timeline';
import { SidePanel, type Tab } from './SidePanel';
import { sessionRows } from './issueTimes';
import { adjacentMarker, formatClock, idleStretches, markerSeekTime, parseDeepLinkTime, type MarkerGroup } from './timeline';
import { actionFor, isTyping, KEY_HELP } from './playerKeys';
import { SPEEDS } from './playbackSpeed';
import { presignedUrlExpiry, refreshDelay } from './presignedUrl';
import { WaitingBadge } from '../frame/WaitingBadge';

export default function SessionPage() {
  const { id = '' } = useParams();
  const session = useSession(id);
  if (session.isPending) return <p role="status" className="loading">Loading the session…</p>;
  if (session.isError) {
    const missing = session.error instanceof ApiError && session.error.status === 404;
    return (
      <section className="page">
        <h1>{missing ? 'No such session' : 'Could not load the session'}</h1>
        <p role="alert">{session.error.message}</p>
        <Link to="/">Back to the sessions</Link>
      </section>
    );
  }
  return <SessionView session={session.data} />;
}

function SessionView({ session }: { session: SessionDetail }) {
  const user = session.userEmail || session.userId || 'Anonymous user';
  return (
    <section className="page session-page" aria-labelledby="session-title">
      <div className="session-head">
        <Link to="/" className="back">← Sessions</Link>
        <h1 id="session-title">{user}</h1>
        <StatusBadge status={session.status} />
        <span className="muted small">{formatStart(session.startTime)} · {formatDuration(session.duration)}</span>
      </div>
      {session.status === 'failed' && <FailedNotice session={session} />}
      {session.status === 'analyzing' && session.waitingReason && (
        <p className="note small"><WaitingBadge reason={session.waitingReason} /></p>
      )}
      {session.videoDecision && (
        <p className="note small">Video models {session.videoDecision.sent ? 'watched' : 'did not watch'} this
          session: {session.videoDecision.reason}</p>
      )}
      {session.modelAnalysisSkipped && (
        <p className="note small">Models did not watch this session: {session.modelAnalysisSkipped}</p>
      )}
      {session.videoUrl ? <Player session={session} /> : <NoVideo session={session} />}
    </section>
  );
}

function NoVideo({ session }: { session: SessionDetail }) {
  return (
    <div className="no-video">
      {session.status === 'failed' ? <p>This session has no video.</p>
        : <p role="status">The video is being made ({session.status}). This page updates by itself.</p>}
    </div>
  );
}

function FailedNotice({ session }: { session: SessionDetail }) {
  const retry = useRetrySession(session._id);
  const admin = useAdminAction('Retry this session');
  const start = () => {
    admin.run(() => retry.mutateAsync()).catch(() => {
      // cancelled, or a refusal other than the password's: retry.error shows it
    });
  };
  return (
    <div className="error-box" role="alert">
      <p><strong>Failed:</strong> {session.lastError ?? 'no reason was recorded'}</p>
      <button type="button" onClick={start} disabled={retry.isPending || admin.asking}>
        {retry.isPending ? 'Retrying…' : 'Retry'}
      </button>
      {retry.isError && !admin.asking && !(retry.error instanceof ApiError && retry.error.status === 401) && (
        <p className="small">{retry.error.message}</p>
      )}
      {admin.dialog}
    </div>
  );
}

function Player({ session }: { session: SessionDetail }) {
  const queryClient = useQueryClient();
  const [search] = useSearchParams();
  const playback = usePlayback();
  const { videoRef, currentTime, paused, ended, speed, seek, toggle, step, setSpeed } = playback;
  const frameRef = useRef<HTMLDivElement>(null);
  const [note, setNote] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('issues');
  const [selectedIssue, setSelectedIssue] = useState<string | null>(null);
  const [selectionNonce, setSelectionNonce] = useState(0);
  const [help, setHelp] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const [sheetOpen, setSheetOpen] = useState(true);

  // The video keeps the URL it started with: a new URL would reload it. A fresh one is swapped in, at the same moment
  // and paused state, shortly before the old one expires or when loading fails.
  const [src, setSrc] = useState(session.videoUrl!);
  const resume = useRef<{ time: number; playing: boolean } | null>(null);
  const deepLinkApplied = useRef(false);
  const lastRefresh = useRef(0);
  const freshUrl = useCallback(async () => {
    // a video that keeps failing (its file is gone) asks at most twice a minute
    if (Date.now() - lastRefresh.current < 30_000) return;
    lastRefresh.current = Date.now();
    const video = videoRef.current;
    resume.current = { time: video?.currentTime ?? 0, playing: !!video && !video.paused };
    const fresh = await queryClient.fetchQuery<SessionDetail>({ queryKey: ['session', session._id], staleTime: 0 });
    if (fresh.videoUrl) setSrc(fresh.videoUrl);
  }, [queryClient, session._id, videoRef]);
  useEffect(() => {
    const delay = refreshDelay(presignedUrlExpiry(src), Date.now());
    if (delay === null) return;
    const timer = window.setTimeout(() => void freshUrl(), delay);
    return () => window.clearTimeout(timer);
  }, [src, freshUrl]);

  const mapping = session.videoTimeMapping ?? [];
  const { issueRows, consoleRows, networkRows } = useMemo(() => sessionRows(session._id, session.issues,
    session.consoleErrors, session.networkFailures, mapping), [session, mapping]);
  const issueMarkers: IssueMarker[] = useMemo(() => issueRows.map((row) => ({
    id: row.id, time: row.time, rank: row.issue.severity === 'red' ? 1 : 0, title: row.issue.title,
    severity: row.issue.severity,
  })), [issueRows]);
  const eventMarkers: EventMarker[] = useMemo(() => [
    ...consoleRows.map((row) => ({ id: row.id, time: row.time, rank: 1, kind: 'console' as const,
      label: row.error.message })),
    ...networkRows.map((row) => ({ id: row.id, time: row.time, rank: 0, kind: 'network' as const,
      label: `${row.failure.status || 'failed'} ${row.failure.method ?? 'GET'} ${row.failure.url}` })),
  ], [consoleRows, networkRows]);
  const idle = useMemo(() => idleStretches(mapping), [mapping]);
  const duration = playback.duration || session.videoDuration || 0;

  const onLoadedMetadata = (event: React.SyntheticEvent<HTMLVideoElement>) => {
    const video = event.currentTarget;
    video.playbackRate = speed;
    if (resume.current) {
      const { time, playing } = resume.current;
      resume.current = null;
      video.currentTime = time;
      if (playing) void video.play().catch(() => undefined);
      return;
    }
    if (!deepLinkApplied.current) {
      deepLinkApplied.current = true;
      const link = parseDeepLinkTime(search.get('t'), video.duration);
      setNote(link.note);
      if (link.time > 0) seek(link.time);
    }
  };

  const onMarker = useCallback((group: MarkerGroup<IssueMarker>) => {
    seek(markerSeekTime(group.time));
    setTab('issues');
    setSelectedIssue(group.items[0].id);
    setSelectionNonce((n) => n + 1);
    setSheetOpen(true);
  }, [seek]);

  const fullscreen = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void frameRef.current?.requestFullscreen?.().catch(() => undefined);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target)) return;
      const action = actionFor(event);
      if (!action) return;
      const onControl = event.target instanceof HTMLElement && event.target.closest('button, a, [role="tab"]');
      if (action.kind === 'toggle' && event.key === ' ' && onControl) return;
      if (event.key.startsWith('Arrow') && event.target instanceof HTMLElement
        && event.target.closest('[role="tablist"]')) return;
      event.preventDefault();
      const video = videoRef.current;
      switch (action.kind) {
        case 'toggle': toggle(); break;
        case 'seekBy': seek((video?.currentTime ?? 0) + action.seconds); break;
        case 'frame': step(action.direction); break;
        case 'fullscreen': fullscreen(); break;
        case 'help': setHelp((open) => !open); break;
        case 'marker': {
          const next = adjacentMarker(issueMarkers.map((m) => m.time), video?.currentTime ?? 0, action.direction);
          if (next !== null) {
            seek(next);
            const marker = issueMarkers.find((m) => m.time === next);
            if (marker) { setTab('issues'); setSelectedIssue(marker.id); setSelectionNonce((n) => n + 1); }
          }
          break;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle, seek, step, fullscreen, issueMarkers, videoRef]);

  const copyLink = async () => {
    const t = Math.floor(videoRef.current?.currentTime ?? currentTime);
    const link = `${window.location.origin}/sessions/${session._id}?t=${t}`;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(`Link copied: ${formatClock(t)}`);
    } catch {
      setCopied(link);
    }
    window.setTimeout(() => setCopied(null), 4000);
  };

  const playLabel = ended ? 'Restart' : paused ? 'Play' : 'Pause';
  return (
    <div className={`session-layout${sheetOpen ? '' : ' sheet-closed'}`}>
      <div className="player" ref={frameRef}>
        {note && <p className="note" role="status">{note}</p>}
        <div className="video-box">
          <video
            ref={videoRef}
            src={src}
            poster={session.thumbnailUrl ?? undefined}
            preload="metadata"
            playsInline
            onClick={toggle}
            onLoadedMetadata={onLoadedMetadata}
            onError={() => void freshUrl()}
            {...playback.videoEvents}
            aria-label="Session video"
          />
        </div>
        <Timeline duration={duration} currentTime={currentTime} issues={issueMarkers} events={eventMarkers} idle={idle}
          onSeek={seek} onMarker={onMarker} />
        <div className="controls" role="toolbar" aria-label="Player">
          <button type="button" className="play" onClick={toggle} aria-label={playLabel}>
            <span aria-hidden="true">{ended ? '↻' : paused ? '▶' : '❚❚'}</span> {playLabel}
          </button>
          <span className="clock" aria-live="off">
            <span data-testid="current-time">{formatClock(currentTime)}</span> / {formatClock(duration)}
          </span>
          <label className="speed">
            <span className="visually-hidden">Speed</span>
            <select value={speed} onChange={(event) => setSpeed(Number(event.target.value))} aria-label="Speed">
              {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
            </select>
          </label>
          <button type="button" onClick={copyLink}>Copy link at {formatClock(currentTime)}</button>
          <button type="button" onClick={fullscreen} aria-label="Full screen" title="Full screen (f)">
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor"
              strokeWidth="1.8">
              <path d="M1.5 5.5v-4h4M10.5 1.5h4v4M14.5 10.5v4h-4M5.5 14.5h-4v-4" />
            </svg>
          </button>
          <button type="button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keys (?)">?</button>
          {copied && <span role="status" className="small copied">{copied}</span>}
        </div>
        {help && <KeyHelp onClose={() => setHelp(false)} />}
      </div>
      <div className="sheet">
        <button type="button" className="sheet-handle" aria-expanded={sheetOpen}
          onClick={() => setSheetOpen((open) => !open)}>
          {sheetOpen ? 'Hide details' : 'Show details'}
        </button>
        <SidePanel tab={tab} onTab={setTab} currentTime={currentTime} issueRows={issueRows} consoleRows={consoleRows}
          networkRows={networkRows} selectedIssue={selectedIssue} selectionNonce={selectionNonce} onSeek={seek} />
      </div>
    </div>
  );
}

function KeyHelp({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="key-help" role="dialog" aria-modal="false" aria-labelledby="keys-title"
      onKeyDown={(event) => { if (event.key === 'Escape') onClose(); }}>
      <h2 id="keys-title">Keyboard shortcuts</h2>
      <dl>
        {KEY_HELP.map(([key, what]) => (
          <div key={key}><dt><kbd>{key}</kbd></dt><dd>{what}</dd></div>
        ))}
      </dl>
      <button ref={closeRef} type="button" onClick={onClose}>Close</button>
    </div>
  );
}
