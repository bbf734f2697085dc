import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { getJson } from '../../api/client';
import type { AgentDetail } from '../../api/types';
import { AgentLog, isLive } from './AgentLog';
import { sharedFeed, type AgentFeedClient } from './AgentFeedClient';

/**
 * Entries asked for per page: the runner keeps at most 1,000 entries, each phase's result and a marker, so a real log
 * is one request; a longer one comes in pages small enough that parsing one and building its rows stays a short task.
 */
export const LOG_PAGE = 1200;
/** A hole still there after a page came back (an entry being written as it was read): ask again after this. */
const RETRY_HOLE_MS = 300;
const REREAD_AFTER_END_MS = 3000;

export type FetchPage = (agentId: string, offset: number, signal: AbortSignal) => Promise<AgentDetail>;

const fetchPage: FetchPage = (agentId, offset, signal) =>
  getJson<AgentDetail>(`/api/agents/${encodeURIComponent(agentId)}?logOffset=${offset}&logLimit=${LOG_PAGE}`, signal);

/**
 * An agent's whole log kept up to date: paged from the api from entry 0 (a reload mid-run shows everything), merged
 * with the live feed by `seq`, and every hole the feed leaves (after a reconnect) fetched from the api, one request at
 * a time. Listeners hear of changes at most once per `frame` however fast entries arrive.
 */
export class AgentLogFollower {
  readonly log: AgentLog;
  detail: AgentDetail | null = null;
  error: Error | null = null;
  private readonly listeners = new Set<() => void>();
  private controller = new AbortController();
  private offFeed: (() => void) | null = null;
  private busy = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private pending = false;
  /**
   * Reads of the agent still due after it ended live: its final cost, times and reason come from the api, once at
   * once and once a little later (the runner and the queue write some of them just after the status).
   */
  private refreshes = 0;

  constructor(
    agentId: string,
    private readonly feed: AgentFeedClient,
    private readonly load: FetchPage = fetchPage,
    private readonly frame: (run: () => void) => void = (run) => requestAnimationFrame(run),
  ) {
    this.log = new AgentLog(agentId);
  }

  start(): void {
    this.controller = new AbortController(); // (a strict-mode remount starts a stopped follower again)
    this.offFeed = this.feed.onMessage((message) => {
      const before = this.log.version;
      const wasLive = isLive(this.log.status);
      this.log.applyFeed(message);
      if (wasLive && !isLive(this.log.status)) this.refreshes = 2;
      if (this.log.version !== before) {
        this.changed();
        this.pump(0);
      }
    });
    this.pump(0);
  }

  stop(): void {
    this.offFeed?.();
    this.controller.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.busy = false;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    this.frame(() => {
      this.pending = false;
      this.listeners.forEach((listener) => listener());
    });
  }

  private pump(delay: number): void {
    if (this.busy || this.timer || this.controller.signal.aborted) return;
    const from = this.detail === null ? 0 : (this.log.missing() ?? (this.refreshes > 0 ? this.log.contiguous : null));
    if (from === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.busy = true;
      const before = this.log.contiguous;
      this.load(this.log.agentId, from, this.controller.signal).then((page) => {
        this.busy = false;
        this.log.applyPage(page);
        this.detail = page;
        this.error = null;
        this.failures = 0;
        this.changed();
        if (this.log.missing() !== null) {
          this.pump(this.log.contiguous === before ? RETRY_HOLE_MS : 0);
        } else if (this.refreshes > 0 && --this.refreshes > 0) {
          this.pump(REREAD_AFTER_END_MS);
        }
      }, (failure: Error) => {
        this.busy = false;
        if (this.controller.signal.aborted) return;
        this.error = failure;
        this.failures++;
        this.changed();
        this.pump(Math.min(10_000, 500 * 2 ** this.failures));
      });
    }, delay);
  }
}

/** The agent's log for a page: see AgentLogFollower. `version` changes whenever there is something new to render. */
export function useAgentLog(agentId: string, feed: AgentFeedClient = sharedFeed()) {
  const follower = useMemo(() => new AgentLogFollower(agentId, feed), [agentId, feed]);
  useEffect(() => {
    follower.start();
    return () => follower.stop();
  }, [follower]);
  const version = useSyncExternalStore(
    (listener) => follower.subscribe(listener),
    () => follower.log.version + (follower.error ? 0.5 : 0),
  );
  return { follower, log: follower.log, detail: follower.detail, error: follower.error, version };
}
