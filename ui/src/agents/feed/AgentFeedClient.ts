import type { FeedMessage } from '../../api/types';

/**
 * `connecting`: the first attempt; `live`: the snapshot arrived and changes stream; `reconnecting`: the connection
 * dropped (or never opened) and the next attempt waits its back-off.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/** The part of a browser WebSocket the client uses, so tests can hand it a scripted one. */
export interface FeedSocket {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(code?: number, reason?: string): void;
}

export interface FeedClientOptions {
  url: string;
  open?: (url: string) => FeedSocket;
  /** Waits before the n-th reconnect (0-based): 0.5 s doubling to 10 s, with up to a quarter more at random. */
  backoffMs?: (attempt: number) => number;
  schedule?: (run: () => void, ms: number) => unknown;
  cancel?: (handle: unknown) => void;
}

export function defaultBackoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** attempt);
  return Math.round(base * (1 + random() / 4));
}

/**
 * One connection to `/ws/agents` for the whole tab: it reconnects after a drop with back-off, and every (re)connect
 * starts with a fresh snapshot, which listeners merge by `seq` (see AgentLog) so nothing shows twice or out of order.
 */
export class AgentFeedClient {
  private socket: FeedSocket | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private running = false;
  private current: ConnectionState = 'connecting';
  private readonly messageListeners = new Set<(message: FeedMessage) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly open: (url: string) => FeedSocket;
  private readonly backoff: (attempt: number) => number;
  private readonly schedule: (run: () => void, ms: number) => unknown;
  private readonly cancel: (handle: unknown) => void;

  constructor(private readonly options: FeedClientOptions) {
    this.open = options.open ?? ((url) => new WebSocket(url));
    this.backoff = options.backoffMs ?? ((attempt) => defaultBackoff(attempt));
    this.schedule = options.schedule ?? ((run, ms) => setTimeout(run, ms));
    this.cancel = options.cancel ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  }

  get state(): ConnectionState {
    return this.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.cancel(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'closed by the page');
  }

  onMessage(listener: (message: FeedMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private connect(): void {
    this.timer = null;
    let socket: FeedSocket;
    try {
      socket = this.open(this.options.url);
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      let message: FeedMessage;
      try {
        message = JSON.parse(String(event.data)) as FeedMessage;
      } catch {
        return; // not one of the feed's messages
      }
      if (message.type === 'snapshot') {
        this.attempt = 0;
        this.setState('live');
      }
      this.messageListeners.forEach((listener) => listener(message));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.running) this.retry();
    };
    socket.onerror = () => {
      // a close always follows an error; the retry is scheduled there
    };
  }

  private retry(): void {
    this.setState('reconnecting');
    const wait = this.backoff(this.attempt++);
    this.timer = this.schedule(() => {
      if (this.running) this.connect();
    }, wait);
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.stateListeners.forEach((listener) => listener(state));
  }
}

function feedUrl(): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${window.location.host}/ws/agents`;
}

let shared: AgentFeedClient | null = null;

/** The tab's one connection, opened on first use (the header's indicator opens it on every page). */
export function sharedFeed(): AgentFeedClient {
  if (!shared) {
    shared = new AgentFeedClient({ url: feedUrl() });
    shared.start();
  }
  return shared;
}
