import type { AgentDetail, AgentStatus, FeedMessage, OutputEntry } from '../../api/types';
import { LogRows, type LogEntry } from '../logRows';
import { WORKING_PHASES as ORDER } from '../phases';

export function isLive(status: AgentStatus | null | undefined): boolean {
  return status != null && ORDER.includes(status);
}

function rank(status: AgentStatus): number {
  return isLive(status) ? ORDER.indexOf(status) : ORDER.length;
}

/**
 * One agent's log as the page holds it, merged from three sources that overlap and race: pages of
 * `GET /api/agents/<id>`, the feed's snapshot (its last entries) and its live entries. Every entry is kept at its `seq`
 * (a second copy of a seq is ignored), and rows are built only from the unbroken run from seq 0, so an entry that
 * arrives early waits for the ones before it and nothing is shown twice or out of order. `missing()` names the first
 * hole for the page to fetch from the api (after a reconnect, entries the snapshot no longer carries).
 */
export class AgentLog {
  readonly rows = new LogRows();
  /** Entries [0, contiguous) are all here and in `rows` (unless cut by a stop). */
  contiguous = 0;
  /** How long the log is, as far as anything has said. */
  total = 0;
  status: AgentStatus | null = null;
  /** The furthest working phase it reached (the phase it ended in, once it ended). */
  reached: AgentStatus | null = null;
  error: string | null = null;
  prUrl: string | null = null;
  /** Entries written after the stop was acknowledged: not shown. */
  hiddenAfterStop = 0;
  version = 0;
  private readonly entries = new Map<number, OutputEntry>();
  private stopCutoff: number | null = null;

  constructor(readonly agentId: string) {}

  /** A page of `GET /api/agents/<id>`. */
  applyPage(detail: AgentDetail): void {
    detail.outputLog.forEach((entry, index) => this.put(detail.outputLogOffset + index, entry));
    this.total = Math.max(this.total, detail.outputLogTotal);
    detail.statusHistory?.forEach((change) => this.reach(change.status));
    this.setStatus(detail.status, detail.error ?? detail.lastError ?? null, detail.prUrl);
    this.advance();
  }

  /** A message of the feed (any agent's: others are ignored). */
  applyFeed(message: FeedMessage): void {
    if (message.type === 'snapshot') {
      const mine = [...message.active, ...message.queued].find((agent) => agent._id === this.agentId);
      if (!mine) return;
      mine.recentOutput.forEach((output) => this.put(output.seq, output));
      this.total = Math.max(this.total, mine.outputCount);
      if (mine.status) this.setStatus(mine.status, null, null);
    } else if (message.agentId !== this.agentId) {
      return;
    } else if (message.type === 'output') {
      this.put(message.seq, message);
      this.total = Math.max(this.total, message.seq + 1);
    } else {
      this.total = Math.max(this.total, message.outputCount);
      if (message.status) this.setStatus(message.status, message.error ?? null, message.prUrl ?? null);
    }
    this.advance();
  }

  /**
   * From now on entries written after `at` (the api's time of the acknowledged stop) are counted, not shown: once the
   * stop is acknowledged the agent's last words do not keep scrolling in.
   */
  stopAcknowledged(at: string): void {
    this.stopCutoff = Date.parse(at);
    this.version++;
  }

  /** The first entry the log lacks below `total`, if any: the page fetches from there. */
  missing(): number | null {
    return this.contiguous < this.total ? this.contiguous : null;
  }

  /** Entries held beyond the unbroken run (arrived early). */
  get waiting(): number {
    return this.entries.size;
  }

  private put(seq: number, entry: OutputEntry): void {
    if (seq < this.contiguous || this.entries.has(seq)) return;
    this.entries.set(seq, { timestamp: entry.timestamp, phase: entry.phase, content: entry.content });
  }

  private advance(): void {
    let next = this.entries.get(this.contiguous);
    while (next) {
      this.entries.delete(this.contiguous);
      const entry: LogEntry = { ...next, seq: this.contiguous };
      this.reach(entry.phase as AgentStatus);
      if (this.stopCutoff !== null && entry.timestamp && Date.parse(entry.timestamp) > this.stopCutoff) {
        this.hiddenAfterStop++;
      } else {
        this.rows.append(entry);
      }
      this.contiguous++;
      next = this.entries.get(this.contiguous);
    }
    this.version++;
  }

  private reach(phase: AgentStatus | null): void {
    if (isLive(phase) && (this.reached === null || rank(phase!) > rank(this.reached))) this.reached = phase;
  }

  /** Phases only move forward, and an end is final: a page read before a live change cannot undo it. */
  private setStatus(status: AgentStatus, error: string | null, prUrl: string | null): void {
    if (this.status === null || rank(status) >= rank(this.status)) this.status = status;
    this.reach(status);
    if (error) this.error = error;
    if (prUrl) this.prUrl = prUrl;
  }
}
