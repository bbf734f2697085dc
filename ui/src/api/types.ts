// The api's JSON, as far as the dashboard reads it (field names are the seed's: `_id`, ISO dates).

export type SessionStatus = 'pending' | 'rendering' | 'analyzing' | 'complete' | 'failed';
export type Severity = 'red' | 'yellow';
export type IssueStatus =
  | 'detected' | 'screening' | 'queued' | 'fixing' | 'pr_open' | 'merged'
  | 'false_alarm' | 'fix_failed' | 'pr_closed';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface SessionBase {
  _id: string;
  posthogSessionId: string;
  userId: string | null;
  userEmail: string | null;
  startTime: string | null;
  /** Seconds. */
  duration: number | null;
  thumbnailUrl: string | null;
  status: SessionStatus;
  issueCount: { red: number; yellow: number } | null;
  lastError: string | null;
  source: string | null;
  snapshotSource: string | null;
  createdAt: string;
  updatedAt: string;
  attempts?: number;
  /** Seconds of the video; shorter than `duration` when idle stretches were collapsed. */
  videoDuration: number | null;
  modelAnalysisSkipped?: string | null;
}

export interface SessionListItem extends SessionBase {
  consoleErrorCount: number;
  networkFailureCount: number;
  errorCount: number;
  firstUrl: string | null;
}

export interface ConsoleError {
  message: string;
  stack: string | null;
  url: string | null;
  /** Seconds from the start of the recording (session time). */
  offsetSeconds: number;
  time: string | null;
}

export interface NetworkFailure {
  method: string | null;
  url: string;
  /** 0 when the request never got a response. */
  status: number;
  durationMs: number | null;
  error: string | null;
  /** Seconds from the start of the recording (session time). */
  offsetSeconds: number;
  time: string | null;
}

/** One stretch of the video and the stretch of the session it shows (see core's VideoTimelineSegment). */
export interface TimelineSegment {
  sessionStart: number;
  sessionEnd: number;
  videoStart: number;
  videoEnd: number;
  collapsed: boolean;
}

export interface Occurrence {
  sessionId: string;
  userId: string | null;
  /** Seconds into that session's video. */
  timestamp: number | null;
  seenAt: string | null;
}

export interface Issue {
  _id: string;
  sessionId: string;
  severity: Severity;
  title: string;
  description: string | null;
  /** Seconds into the first session's video. */
  timestamp: number | null;
  analysisSource: 'video' | 'session_data' | 'both' | null;
  modelUsed: string | null;
  status: IssueStatus;
  occurrences: Occurrence[] | null;
  sessionCount: number;
  userCount: number;
  prUrl: string | null;
}

export interface SessionDetail extends SessionBase {
  videoUrl: string | null;
  rrwebEventsUrl: string | null;
  consoleErrors: ConsoleError[] | null;
  networkFailures: NetworkFailure[] | null;
  metadata: Record<string, unknown> | null;
  issues: Issue[];
  videoTimeMapping: TimelineSegment[];
}

export interface Stats {
  sessions: Record<SessionStatus, number>;
  issues: Record<IssueStatus, number>;
  agents: Record<string, number>;
  spendTodayUsd: number;
}

/** Where sessions come from (`GET /api/sessions/source`). */
export interface RecordingSource {
  source: 'posthog' | 'inbox';
  inboxPath: string | null;
}
