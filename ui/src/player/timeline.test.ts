import {
  adjacentMarker, formatClock, idleStretches, indexAtOrBefore, markerSeekTime, parseDeepLinkTime, placeMarkers,
  rowSeekTime, sessionTimeOf, timeAtOffset, videoTimeOf,
} from './timeline';
import type { TimelineSegment } from '../api/types';

// 0-30 s as recorded, 30-330 s of idleness collapsed into 2 s of video, then 330-400 s as recorded
const mapping: TimelineSegment[] = [
  { sessionStart: 0, sessionEnd: 30, videoStart: 0, videoEnd: 30, collapsed: false },
  { sessionStart: 30, sessionEnd: 330, videoStart: 30, videoEnd: 32, collapsed: true },
  { sessionStart: 330, sessionEnd: 400, videoStart: 32, videoEnd: 102, collapsed: false },
];

describe('session time and video time', () => {
  it('are the same without a mapping (not rendered yet)', () => {
    expect(videoTimeOf([], 42)).toBe(42);
    expect(sessionTimeOf(null, 42)).toBe(42);
  });

  it('map linearly within a segment and across a collapsed stretch', () => {
    expect(videoTimeOf(mapping, 10)).toBe(10);
    expect(videoTimeOf(mapping, 180)).toBeCloseTo(31);
    expect(videoTimeOf(mapping, 340)).toBeCloseTo(42);
    expect(sessionTimeOf(mapping, 42)).toBeCloseTo(340);
  });

  it('put any moment inside a collapsed stretch at the start of the idle time, and clamp past the end', () => {
    expect(sessionTimeOf(mapping, 31)).toBe(30);
    expect(videoTimeOf(mapping, 999)).toBe(102);
    expect(sessionTimeOf(mapping, 999)).toBe(400);
  });

  it('are inverse of each other outside collapsed stretches', () => {
    for (const session of [0, 5, 29.5, 331, 351.25, 399]) {
      expect(sessionTimeOf(mapping, videoTimeOf(mapping, session))).toBeCloseTo(session);
    }
  });

  it('list the collapsed stretches with the idle time each hides', () => {
    expect(idleStretches(mapping)).toEqual([{ videoStart: 30, videoEnd: 32, idleSeconds: 300 }]);
    expect(idleStretches(undefined)).toEqual([]);
  });
});

describe('formatClock', () => {
  it('reads m:ss under an hour and h:mm:ss from one hour', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(65.9)).toBe('1:05');
    expect(formatClock(3599)).toBe('59:59');
    expect(formatClock(3600)).toBe('1:00:00');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(formatClock(-3)).toBe('0:00');
    expect(formatClock(null)).toBe('0:00');
  });
});

describe('placeMarkers', () => {
  const item = (id: string, time: number, rank: number) => ({ id, time, rank });

  it('places each item at its moment on the track', () => {
    const groups = placeMarkers([item('a', 25, 0), item('b', 50, 0)], 100, 400);
    expect(groups.map((g) => g.x)).toEqual([100, 200]);
    expect(groups.map((g) => g.time)).toEqual([25, 50]);
  });

  it('merges items closer than 6 px into one group listing all, keeping those 6 px or more apart', () => {
    // 100 s on 600 px: 1 s = 6 px
    const groups = placeMarkers([item('a', 10, 0), item('b', 10.5, 0), item('c', 10.9, 1), item('d', 12, 0)], 100,
      600);
    const merged = groups.find((g) => g.items.length > 1)!;
    expect(merged.items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(merged.time).toBe(10);
    expect(merged.rank).toBe(1);
    expect(groups.find((g) => g.items[0].id === 'd')!.items).toHaveLength(1);
  });

  it('merges everything at one spot on a narrow track and nothing on a wide one', () => {
    const items = [item('a', 1, 0), item('b', 2, 0), item('c', 3, 0)];
    expect(placeMarkers(items, 100, 100)).toHaveLength(1);
    expect(placeMarkers(items, 100, 10_000)).toHaveLength(3);
  });

  it('returns groups in draw order: the most severe last, so it draws on top', () => {
    const groups = placeMarkers([item('red', 10, 1), item('yellow', 50, 0), item('red2', 90, 1)], 100, 1000);
    expect(groups.map((g) => g.items[0].id)).toEqual(['yellow', 'red', 'red2']);
  });

  it('clamps items outside the video to its ends and places nothing without a duration or width', () => {
    expect(placeMarkers([item('late', 500, 0)], 100, 400)[0].x).toBe(400);
    expect(placeMarkers([item('a', 1, 0)], 0, 400)).toEqual([]);
    expect(placeMarkers([item('a', 1, 0)], 100, 0)).toEqual([]);
  });
});

describe('seeking', () => {
  it('lands two seconds before a marker and one before a row, never before the start', () => {
    expect(markerSeekTime(42)).toBe(40);
    expect(markerSeekTime(1)).toBe(0);
    expect(rowSeekTime(42)).toBe(41);
    expect(rowSeekTime(0.5)).toBe(0);
  });

  it('reads the time under the pointer, clamped to the track', () => {
    expect(timeAtOffset(150, 600, 120)).toBe(30);
    expect(timeAtOffset(-20, 600, 120)).toBe(0);
    expect(timeAtOffset(900, 600, 120)).toBe(120);
  });

  it('finds the row at or before the playhead', () => {
    const times = [1, 5, 5, 9];
    expect(indexAtOrBefore(times, 0.5)).toBe(-1);
    expect(indexAtOrBefore(times, 5)).toBe(2);
    expect(indexAtOrBefore(times, 8.9)).toBe(2);
    expect(indexAtOrBefore(times, 100)).toBe(3);
    expect(indexAtOrBefore([], 3)).toBe(-1);
  });

  it('steps to the next and previous marker', () => {
    const times = [30, 10, 20];
    expect(adjacentMarker(times, 10, 1)).toBe(20);
    expect(adjacentMarker(times, 30, 1)).toBeNull();
    expect(adjacentMarker(times, 20.2, -1)).toBe(10);
    expect(adjacentMarker(times, 25, -1)).toBe(20);
    expect(adjacentMarker(times, 5, -1)).toBeNull();
  });
});

describe('parseDeepLinkTime', () => {
  it('reads seconds and clocks', () => {
    expect(parseDeepLinkTime('42')).toEqual({ time: 42, note: null });
    expect(parseDeepLinkTime('42.5', 100)).toEqual({ time: 42.5, note: null });
    expect(parseDeepLinkTime('1:05')).toEqual({ time: 65, note: null });
    expect(parseDeepLinkTime('1:02:03')).toEqual({ time: 3723, note: null });
  });

  it('opens at the start without a note when there is no t', () => {
    expect(parseDeepLinkTime(null)).toEqual({ time: 0, note: null });
    expect(parseDeepLinkTime('')).toEqual({ time: 0, note: null });
  });

  it('falls back to the start with a note for a t that is not a time or is past the end', () => {
    for (const bad of ['abc', '-5', '1e3', 'NaN', '12s', 'Infinity']) {
      const parsed = parseDeepLinkTime(bad, 100);
      expect(parsed.time).toBe(0);
      expect(parsed.note).toMatch(/not a time/);
    }
    const late = parseDeepLinkTime('500', 100);
    expect(late.time).toBe(0);
    expect(late.note).toMatch(/past the end/);
    expect(parseDeepLinkTime('100', 100)).toEqual({ time: 100, note: null });
  });
});
