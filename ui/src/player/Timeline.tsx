import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { IdleStretch } from './timeline';
import { formatClock, placeMarkers, timeAtOffset, type MarkerGroup, type TimedItem } from './timeline';

export interface IssueMarker extends TimedItem {
  title: string;
  severity: 'red' | 'yellow';
}

export interface EventMarker extends TimedItem {
  kind: 'console' | 'network';
  label: string;
}

interface Props {
  duration: number;
  currentTime: number;
  issues: IssueMarker[];
  events: EventMarker[];
  idle: IdleStretch[];
  onSeek: (time: number) => void;
  onMarker: (group: MarkerGroup<IssueMarker>) => void;
}

function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

function markerName(group: MarkerGroup<IssueMarker>): string {
  if (group.items.length === 1) return `${group.items[0].title} at ${formatClock(group.items[0].time)}`;
  return `${group.items.length} issues at ${formatClock(group.time)}: `
    + group.items.map((item) => `${item.title} at ${formatClock(item.time)}`).join('; ');
}

/**
 * The timeline under the video: issue markers (buttons, merged when closer than 6 px, red drawn on top), a second
 * track of console errors and failed requests, collapsed idle stretches, the time under the pointer; click seeks,
 * dragging scrubs.
 */
export function Timeline({ duration, currentTime, issues, events, idle, onSeek, onMarker }: Props) {
  const [trackRef, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<{ x: number; time: number } | null>(null);
  const dragging = useRef(false);
  const [openGroup, setOpenGroup] = useState<number | null>(null);

  const issueGroups = useMemo(() => placeMarkers(issues, duration, width), [issues, duration, width]);
  const eventGroups = useMemo(() => placeMarkers(events, duration, width, 4), [events, duration, width]);

  const timeAt = (event: ReactPointerEvent) => {
    const box = trackRef.current!.getBoundingClientRect();
    return { x: event.clientX - box.left, time: timeAtOffset(event.clientX - box.left, box.width, duration) };
  };

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    dragging.current = true;
    event.currentTarget.setPointerCapture?.(event.pointerId);
    onSeek(timeAt(event).time);
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    const at = timeAt(event);
    setHover(at);
    if (dragging.current) onSeek(at.time);
  };
  const stopDragging = () => {
    dragging.current = false;
  };

  const progress = duration > 0 ? Math.min(1, currentTime / duration) : 0;
  return (
    <div className="timeline">
      <div className="marker-track" aria-label="Issue markers" role="group">
        {issueGroups.map((group, index) => {
          const worst = group.rank > 0 ? 'red' : 'yellow';
          return (
            <button
              key={group.items.map((item) => item.id).join(',')}
              type="button"
              className={`marker marker-${worst}${group.items.length > 1 ? ' marker-merged' : ''}`}
              style={{ left: group.x, zIndex: 2 + group.rank }}
              aria-label={markerName(group)}
              onClick={() => onMarker(group)}
              onMouseEnter={() => setOpenGroup(index)}
              onMouseLeave={() => setOpenGroup(null)}
              onFocus={() => setOpenGroup(index)}
              onBlur={() => setOpenGroup(null)}
              data-time={group.time}
            >
              {group.items.length > 1 ? group.items.length : ''}
              {openGroup === index && (
                <span className="marker-tip" role="tooltip">
                  {group.items.map((item) => (
                    <span key={item.id} className="tip-line">
                      <span className={`dot dot-${item.severity}`} aria-hidden="true" />
                      {formatClock(item.time)} {item.title}
                    </span>
                  ))}
                </span>
              )}
            </button>
          );
        })}
      </div>
      <div
        ref={trackRef}
        className="track"
        role="slider"
        tabIndex={0}
        aria-label="Seek"
        aria-valuemin={0}
        aria-valuemax={Math.round(duration)}
        aria-valuenow={Math.round(currentTime)}
        aria-valuetext={`${formatClock(currentTime)} of ${formatClock(duration)}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={stopDragging}
        onPointerCancel={stopDragging}
        onPointerLeave={() => setHover(null)}
      >
        <div className="track-played" style={{ width: `${progress * 100}%` }} />
        {idle.map((stretch) => (
          <div
            key={stretch.videoStart}
            className="idle"
            style={{
              left: `${(stretch.videoStart / duration) * 100}%`,
              width: `max(3px, ${((stretch.videoEnd - stretch.videoStart) / duration) * 100}%)`,
            }}
            title={`Idle for ${formatClock(stretch.idleSeconds)} (skipped)`}
          >
            <span className="visually-hidden">Idle for {formatClock(stretch.idleSeconds)}, skipped</span>
          </div>
        ))}
        <div className="playhead" style={{ left: `${progress * 100}%` }} aria-hidden="true" />
        {hover && (
          <div className="hover-time" style={{ left: hover.x }} aria-hidden="true">{formatClock(hover.time)}</div>
        )}
      </div>
      <div className="event-track" aria-hidden="true">
        {eventGroups.map((group) => {
          const kinds = new Set(group.items.map((item) => item.kind));
          const kind = kinds.size > 1 ? 'both' : [...kinds][0];
          return (
            <span
              key={group.items[0].id}
              className={`event event-${kind}`}
              style={{ left: group.x }}
              title={group.items.map((item) => `${formatClock(item.time)} ${item.label}`).slice(0, 8).join('\n')
                + (group.items.length > 8 ? `\n… ${group.items.length - 8} more` : '')}
            />
          );
        })}
      </div>
      <div className="timeline-legend small muted" aria-hidden="true">
        <span><span className="dot dot-red" /> red issue</span>
        <span><span className="dot dot-yellow" /> yellow issue</span>
        <span><span className="event-key event-console" /> console error</span>
        <span><span className="event-key event-network" /> failed request</span>
        {idle.length > 0 && <span><span className="idle-key" /> idle, skipped</span>}
      </div>
    </div>
  );
}
