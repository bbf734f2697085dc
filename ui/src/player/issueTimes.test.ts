import { issueSource, issueTimeIn, sessionRows } from './issueTimes';
import type { Issue, TimelineSegment } from '../api/types';

const issue = (overrides: Partial<Issue>): Issue => ({
  _id: 'i1', sessionId: 's1', severity: 'red', title: 'Pay does nothing', description: null, timestamp: 12,
  analysisSource: 'session_data', modelUsed: 'deterministic-detectors', status: 'queued', occurrences: null,
  sessionCount: 1, userCount: 1, prUrl: null, ...overrides,
});

describe('issue rows', () => {
  it('place an issue at its occurrence in this session, else at its own moment', () => {
    const seenTwice = issue({
      occurrences: [
        { sessionId: 's1', userId: 'a', timestamp: 12, seenAt: null },
        { sessionId: 's2', userId: 'b', timestamp: 40, seenAt: null },
      ],
    });
    expect(issueTimeIn(seenTwice, 's2')).toBe(40);
    expect(issueTimeIn(seenTwice, 's1')).toBe(12);
    expect(issueTimeIn(issue({}), 's9')).toBe(12);
  });

  it('bring console and network rows from session time to video time, each list in time order', () => {
    const mapping: TimelineSegment[] = [
      { sessionStart: 0, sessionEnd: 10, videoStart: 0, videoEnd: 10, collapsed: false },
      { sessionStart: 10, sessionEnd: 310, videoStart: 10, videoEnd: 12, collapsed: true },
      { sessionStart: 310, sessionEnd: 320, videoStart: 12, videoEnd: 22, collapsed: false },
    ];
    const rows = sessionRows('s1', [issue({ timestamp: 15 }), issue({ _id: 'i0', timestamp: 2 })],
      [{ message: 'late', stack: null, url: null, offsetSeconds: 315, time: null },
        { message: 'early', stack: null, url: null, offsetSeconds: 5, time: null }],
      [{ method: 'POST', url: '/pay', status: 500, durationMs: 20, error: null, offsetSeconds: 312, time: null }],
      mapping);
    expect(rows.issueRows.map((row) => row.id)).toEqual(['i0', 'i1']);
    expect(rows.consoleRows.map((row) => [row.error.message, row.time])).toEqual([['early', 5], ['late', 17]]);
    expect(rows.networkRows[0].time).toBe(14);
  });

  it('name who found an issue', () => {
    expect(issueSource(issue({}))).toBe('detector');
    expect(issueSource(issue({ modelUsed: 'openai/gpt-5-mini' }))).toBe('text model');
    expect(issueSource(issue({ analysisSource: 'video', modelUsed: 'google/gemini-3-pro' }))).toBe('video model');
    expect(issueSource(issue({ analysisSource: 'both' }))).toBe('detector + video model');
  });
});
