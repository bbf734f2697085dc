import type { FeedAgentSummary, FeedMessage, FeedOutput, OutputEntry } from '../../api/types';
import { AgentFeedClient, type FeedSocket } from './AgentFeedClient';

/** A scripted /ws/agents: every socket the client opens, and helpers to speak the feed's messages on them. */
export class ScriptedSockets {
  readonly sockets: ScriptedSocket[] = [];
  readonly waits: number[] = [];
  private readonly timers: (() => void)[] = [];

  client(): AgentFeedClient {
    return new AgentFeedClient({
      url: 'ws://test/ws/agents',
      open: () => {
        const socket = new ScriptedSocket();
        this.sockets.push(socket);
        return socket;
      },
      backoffMs: (attempt) => 100 * 2 ** attempt,
      schedule: (run, ms) => {
        this.waits.push(ms);
        this.timers.push(run);
        return this.timers.length;
      },
      cancel: () => undefined,
    });
  }

  get last(): ScriptedSocket {
    return this.sockets[this.sockets.length - 1];
  }

  /** Runs the reconnect the client scheduled. */
  elapse(): void {
    this.timers.shift()?.();
  }
}

export class ScriptedSocket implements FeedSocket {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;

  send(message: FeedMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }

  /** The server or the network ends it. */
  drop(): void {
    this.closed = true;
    this.onclose?.({ code: 1006 } as CloseEvent);
  }

  close(): void {
    this.closed = true;
    this.onclose?.({ code: 1000 } as CloseEvent);
  }
}

export function entry(seq: number, content = `line ${seq}`, phase = 'coding'): OutputEntry {
  return { timestamp: new Date(Date.UTC(2026, 11, 7, 10, 0, 0, seq)).toISOString(), phase, content };
}

export function output(agentId: string, seq: number, content?: string): FeedOutput {
  return { type: 'output', agentId, seq, ...entry(seq, content) };
}

export function summary(agentId: string, outputCount: number, recentFrom: number): FeedAgentSummary {
  const recentOutput = [];
  for (let seq = recentFrom; seq < outputCount; seq++) recentOutput.push(output(agentId, seq));
  return { _id: agentId, issueId: 'i1', status: 'coding', outputCount, recentOutput };
}
