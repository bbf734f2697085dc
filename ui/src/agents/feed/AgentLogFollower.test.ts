import type { AgentDetail } from '../../api/types';
import { AgentLogFollower } from './useAgentLog';
import { entry, ScriptedSockets, summary } from './testFeed';

const A = 'a1';

function detail(offset: number, total: number): AgentDetail {
  return {
    _id: A, issueId: 'i1', status: 'coding', issueTitle: 'Cart', createdAt: '2026-12-07T10:00:00Z', startedAt: null,
    completedAt: null, costUsd: null, error: null, prUrl: null, prNumber: null, stopRequested: null,
    outputLog: Array.from({ length: total - offset }, (_, i) => entry(offset + i)), outputLogOffset: offset,
    outputLogTotal: total,
  };
}

describe('AgentLogFollower', () => {
  it('loads the whole history, then after a reconnect fetches only the entries the snapshot lacks', async () => {
    const net = new ScriptedSockets();
    const feed = net.client();
    feed.start();
    let total = 3;
    const asked: number[] = [];
    const load = vi.fn(async (_id: string, offset: number) => {
      asked.push(offset);
      return detail(offset, total);
    });
    const follower = new AgentLogFollower(A, feed, load, (run) => run());
    follower.start();
    await vi.waitFor(() => expect(follower.log.contiguous).toBe(3));

    net.last.send({ type: 'snapshot', active: [summary(A, 3, 0)], queued: [] });
    net.last.drop();
    total = 250; // written while the page was away
    net.elapse();
    net.last.send({ type: 'snapshot', active: [summary(A, 250, 150)], queued: [] });

    await vi.waitFor(() => expect(follower.log.contiguous).toBe(250));
    expect(asked).toEqual([0, 3]);
    const seqs = follower.log.rows.rows.filter((row) => row.kind === 'note').map((row) => row.seq);
    expect(seqs).toEqual(Array.from({ length: 250 }, (_, i) => i));
    follower.stop();
  });
});
