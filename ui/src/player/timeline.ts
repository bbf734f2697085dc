// The player's time maths, kept pure so it is tested on its own.
//
// Two clocks: the video's (what <video>.currentTime, `?t=`, the timeline and every time the page shows use) and the
// session's (console errors and failed requests carry `offsetSeconds` from the start of the recording). They differ
// where the renderer collapsed an idle stretch into a short marker (`videoTimeMapping`, `collapsed: true`). Issue
// timestamps are already video time (the analyzer maps them), so only console and network rows are mapped here.

import type { TimelineSegment } from '../api/types';

/** Where session time `sessionSeconds` is shown in the video (core's VideoTimelineSegment.videoTimeOf). */
export function videoTimeOf(mapping: TimelineSegment[] | null | undefined, sessionSeconds: number): number {
  if (!mapping || mapping.length === 0) return sessionSeconds;
  for (const segment of mapping) {
    if (sessionSeconds <= segment.sessionEnd) {
      if (sessionSeconds <= segment.sessionStart || segment.sessionEnd <= segment.sessionStart) {
        return segment.videoStart;
      }
      const fraction = (sessionSeconds - segment.sessionStart) / (segment.sessionEnd - segment.sessionStart);
      return segment.videoStart + fraction * (segment.videoEnd - segment.videoStart);
    }
  }
  return mapping[mapping.length - 1].videoEnd;
}

/** The session time a video time shows; inside a collapsed stretch, the start of the idle time it stands for. */
export function sessionTimeOf(mapping: TimelineSegment[] | null | undefined, videoSeconds: number): number {
  if (!mapping || mapping.length === 0) return videoSeconds;
  for (const segment of mapping) {
    if (videoSeconds <= segment.videoEnd) {
      if (segment.collapsed || videoSeconds <= segment.videoStart || segment.videoEnd <= segment.videoStart) {
        return segment.sessionStart;
      }
      const fraction = (videoSeconds - segment.videoStart) / (segment.videoEnd - segment.videoStart);
      return segment.sessionStart + fraction * (segment.sessionEnd - segment.sessionStart);
    }
  }
  return mapping[mapping.length - 1].sessionEnd;
}

export interface IdleStretch {
  videoStart: number;
  videoEnd: number;
  /** How long the user was really idle (session seconds the stretch stands for). */
  idleSeconds: number;
}

/** The stretches the renderer collapsed, in video time, with the real idle time each hides. */
export function idleStretches(mapping: TimelineSegment[] | null | undefined): IdleStretch[] {
  return (mapping ?? [])
    .filter((segment) => segment.collapsed)
    .map((segment) => ({
      videoStart: segment.videoStart,
      videoEnd: segment.videoEnd,
      idleSeconds: segment.sessionEnd - segment.sessionStart,
    }));
}

/** `m:ss`, or `h:mm:ss` from one hour; negative or not-a-number reads as 0:00. */
export function formatClock(seconds: number | null | undefined): string {
  const whole = Number.isFinite(seconds) && (seconds as number) > 0 ? Math.floor(seconds as number) : 0;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface TimedItem {
  id: string;
  /** Video seconds. */
  time: number;
  /** 0 draws lowest; the highest rank of a group decides its look and it draws above groups of lower rank. */
  rank: number;
}

export interface MarkerGroup<T extends TimedItem> {
  /** Left edge in pixels from the start of the track. */
  x: number;
  /** The time of its first item, where a click seeks to. */
  time: number;
  items: T[];
  /** The highest rank among its items. */
  rank: number;
}

/**
 * Places items on a track `width` pixels wide showing `duration` seconds, merging items that would be drawn closer
 * than `mergePx` into one group (a merged marker lists them all). Groups come back in draw order: lower ranks first,
 * so the most severe draw on top; within a rank, by time.
 */
export function placeMarkers<T extends TimedItem>(items: T[], duration: number, width: number, mergePx = 6):
  MarkerGroup<T>[] {
  if (!(duration > 0) || !(width > 0)) return [];
  const sorted = [...items].sort((a, b) => a.time - b.time);
  const groups: MarkerGroup<T>[] = [];
  for (const item of sorted) {
    const x = clamp(item.time / duration, 0, 1) * width;
    const last = groups[groups.length - 1];
    if (last && x - last.x < mergePx) {
      last.items.push(item);
      last.rank = Math.max(last.rank, item.rank);
    } else {
      groups.push({ x, time: item.time, items: [item], rank: item.rank });
    }
  }
  return groups.sort((a, b) => a.rank - b.rank || a.time - b.time);
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** The time under a pointer at `offsetX` pixels on a track `width` wide showing `duration` seconds. */
export function timeAtOffset(offsetX: number, width: number, duration: number): number {
  if (!(width > 0) || !(duration > 0)) return 0;
  return clamp(offsetX / width, 0, 1) * duration;
}

/** Clicking an issue marker shows the lead-up: two seconds before it, never before the start. */
export function markerSeekTime(time: number): number {
  return Math.max(0, time - 2);
}

/** Clicking a row's time: one second before it. */
export function rowSeekTime(time: number): number {
  return Math.max(0, time - 1);
}

/**
 * The index of the last of `times` (ascending) at or before `now`; -1 when all are later. The row the side panel
 * highlights.
 */
export function indexAtOrBefore(times: number[], now: number): number {
  let low = 0;
  let high = times.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (times[middle] <= now + 1e-6) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** The nearest marker time strictly after (`direction` 1) or before (-1) `now`, for Shift+→ / Shift+←. */
export function adjacentMarker(times: number[], now: number, direction: 1 | -1): number | null {
  const sorted = [...times].sort((a, b) => a - b);
  if (direction === 1) {
    return sorted.find((time) => time > now + 0.05) ?? null;
  }
  // "previous" skips the marker the playhead sits just after, as a player's previous-chapter does
  const earlier = sorted.filter((time) => time < now - 0.5);
  return earlier.length > 0 ? earlier[earlier.length - 1] : null;
}

export interface DeepLinkTime {
  /** Where to open, in video seconds. */
  time: number;
  /** Set when `t` was given but could not be used; the page shows it. */
  note: string | null;
}

/**
 * Reads `?t=`: seconds (`42`, `42.5`) or a clock (`1:05`, `1:02:03`). Missing is 0 without a note; anything that is
 * not a time, or past the end of the video (when its duration is known), is 0 with a note saying why.
 */
export function parseDeepLinkTime(raw: string | null | undefined, duration?: number | null): DeepLinkTime {
  if (raw === null || raw === undefined || raw.trim() === '') return { time: 0, note: null };
  const text = raw.trim();
  let seconds = NaN;
  if (/^\d+(\.\d+)?$/.test(text)) {
    seconds = Number(text);
  } else if (/^\d+(:\d{1,2}){1,2}(\.\d+)?$/.test(text)) {
    seconds = text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
  }
  if (!Number.isFinite(seconds)) {
    return { time: 0, note: `The link's time "${text}" is not a time; playing from the start.` };
  }
  if (duration !== null && duration !== undefined && Number.isFinite(duration) && seconds > duration) {
    return {
      time: 0,
      note: `The link's time ${formatClock(seconds)} is past the end of the video (${formatClock(duration)}); `
        + 'playing from the start.',
    };
  }
  return { time: seconds, note: null };
}
