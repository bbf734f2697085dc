import type { FeedMessage } from '../../api/types';
import { defaultBackoff } from './AgentFeedClient';
import { ScriptedSockets } from './testFeed';

describe('AgentFeedClient', () => {
  it('is live once the snapshot arrives and hands every message to its listeners', () => {
    const net = new ScriptedSockets();
    const client = net.client();
    const seen: FeedMessage[] = [];
    client.onMessage((message) => seen.push(message));
    client.start();
    expect(client.state).toBe('connecting');
    net.last.send({ type: 'snapshot', active: [], queued: [] });
    expect(client.state).toBe('live');
    net.last.send({ type: 'status', agentId: 'a', status: 'coding', outputCount: 0 });
    expect(seen.map((m) => m.type)).toEqual(['snapshot', 'status']);
  });

  it('reconnects after a drop with growing waits, back to the shortest once a snapshot came', () => {
    const net = new ScriptedSockets();
    const client = net.client();
    const states: string[] = [];
    client.onState((state) => states.push(state));
    client.start();
    net.last.send({ type: 'snapshot', active: [], queued: [] });

    net.last.drop();
    expect(client.state).toBe('reconnecting');
    net.elapse();
    net.last.drop(); // refused again
    net.elapse();
    expect(net.sockets).toHaveLength(3);
    expect(net.waits).toEqual([100, 200]);
    net.last.send({ type: 'snapshot', active: [], queued: [] });
    expect(client.state).toBe('live');
    net.last.drop();
    expect(net.waits).toEqual([100, 200, 100]);
    expect(states).toEqual(['live', 'reconnecting', 'live', 'reconnecting']);
  });

  it('ignores a dropped socket that speaks after its replacement opened, and stops for good on stop()', () => {
    const net = new ScriptedSockets();
    const client = net.client();
    const seen: FeedMessage[] = [];
    client.onMessage((message) => seen.push(message));
    client.start();
    const first = net.last;
    first.drop();
    net.elapse();
    first.send({ type: 'status', agentId: 'a', status: 'coding', outputCount: 0 });
    expect(seen).toEqual([]);
    client.stop();
    expect(net.last.closed).toBe(true);
    expect(net.waits).toHaveLength(1); // no reconnect after stop()
  });

  it('waits 0.5 s doubling to 10 s, with up to a quarter more', () => {
    expect(defaultBackoff(0, () => 0)).toBe(500);
    expect(defaultBackoff(2, () => 0)).toBe(2000);
    expect(defaultBackoff(10, () => 0)).toBe(10_000);
    expect(defaultBackoff(10, () => 1)).toBe(12_500);
  });
});
