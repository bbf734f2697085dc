import type { AgentDetail } from '../../api/types';
import { AgentLog } from './AgentLog';
import { entry, output, summary } from './testFeed';

const A = 'a1';

function contents(log: AgentLog): string[] {
  return log.rows.rows.filter((row) => row.kind === 'note').map((row) => (row as { text: string }).text);
}

function lines(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `line ${from + i}`);
}

function page(offset: number, count: number, total: number, status: AgentDetail['status'] = 'coding'): AgentDetail {
  return {
    _id: A, issueId: 'i1', status, issueTitle: null, createdAt: '2026-12-07T10:00:00Z', startedAt: null,
    completedAt: null, costUsd: null, error: null, prUrl: null, prNumber: null, stopRequested: null,
    outputLog: Array.from({ length: count }, (_, i) => entry(offset + i)), outputLogOffset: offset,
    outputLogTotal: total,
  };
}

describe('AgentLog', () => {
  it('merges the snapshot and live entries by seq', () => {
    const log = new AgentLog(A);
    log.applyPage(page(0, 3, 3));
    log.applyFeed({ type: 'snapshot', active: [summary(A, 5, 1)], queued: [] }); // 1..4, 1 and 2 held already
    log.applyFeed(output(A, 5));
    log.applyFeed(output('someone-else', 6));
    expect(contents(log)).toEqual(lines(0, 6));
    expect(log.missing()).toBeNull();
  });

  it('shows nothing twice when a reconnect replays entries it already has', () => {
    const log = new AgentLog(A);
    log.applyFeed({ type: 'snapshot', active: [summary(A, 3, 0)], queued: [] });
    log.applyFeed(output(A, 3));
    // reconnect: a fresh snapshot with the same entries and one more, then the live ones again
    log.applyFeed({ type: 'snapshot', active: [summary(A, 5, 0)], queued: [] });
    log.applyFeed(output(A, 4));
    log.applyFeed(output(A, 5));
    expect(contents(log)).toEqual(lines(0, 6));
  });

  it('holds an entry that arrives early until the ones before it came, so the order is the log order', () => {
    const log = new AgentLog(A);
    log.applyFeed({ type: 'snapshot', active: [summary(A, 1, 0)], queued: [] });
    log.applyFeed(output(A, 3));
    log.applyFeed(output(A, 2));
    expect(contents(log)).toEqual(['line 0']);
    expect(log.missing()).toBe(1);
    log.applyFeed(output(A, 1));
    expect(contents(log)).toEqual(lines(0, 4));
    expect(log.waiting).toBe(0);
  });

  it('names the hole a reconnect left (entries no longer in the snapshot) and fills it from a page', () => {
    const log = new AgentLog(A);
    log.applyFeed({ type: 'snapshot', active: [summary(A, 10, 0)], queued: [] });
    // dropped while entries 10..199 were written; the new snapshot carries the last 100
    log.applyFeed({ type: 'snapshot', active: [summary(A, 200, 100)], queued: [] });
    expect(contents(log)).toHaveLength(10);
    expect(log.missing()).toBe(10);
    log.applyPage(page(10, 190, 200));
    expect(contents(log)).toEqual(lines(0, 200));
    expect(log.missing()).toBeNull();
  });

  it('keeps the later phase when a page read before a live change arrives after it, and an end is final', () => {
    const log = new AgentLog(A);
    log.applyFeed({ type: 'status', agentId: A, status: 'reviewing', outputCount: 0 });
    log.applyPage(page(0, 0, 0, 'coding'));
    expect(log.status).toBe('reviewing');
    log.applyFeed({ type: 'status', agentId: A, status: 'failed', outputCount: 0, error: 'Stopped by an admin' });
    log.applyPage(page(0, 0, 0, 'reviewing'));
    expect(log.status).toBe('failed');
    expect(log.error).toBe('Stopped by an admin');
    expect(log.reached).toBe('reviewing');
  });

  it('shows no entry written after the stop was acknowledged', () => {
    const log = new AgentLog(A);
    log.applyFeed({ type: 'snapshot', active: [summary(A, 2, 0)], queued: [] });
    log.stopAcknowledged(entry(2).timestamp!); // entries 0..2 were written by then
    log.applyFeed(output(A, 2));
    log.applyFeed(output(A, 3));
    log.applyFeed(output(A, 4));
    expect(contents(log)).toEqual(lines(0, 3));
    expect(log.hiddenAfterStop).toBe(2);
    expect(log.contiguous).toBe(5);
  });
});
