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
  modelSpendTodayUsd: number;
  agentSpendTodayUsd: number;
  /** The runtime setting `dailyModelBudgetUsd`; the header warns from 80 % of it. */
  dailyModelBudgetUsd: number | null;
}

/** Where sessions come from (`GET /api/sessions/source`). */
export interface RecordingSource {
  source: 'posthog' | 'inbox';
  inboxPath: string | null;
}

export type AgentStatus =
  | 'queued' | 'starting' | 'verifying' | 'planning' | 'coding' | 'reviewing' | 'done' | 'failed' | 'false_alarm';

/** An issue as the board lists it: its own fields, its latest occurrence with a thumbnail, its latest agent. */
export interface IssueListItem extends Omit<Issue, 'occurrences'> {
  createdAt: string | null;
  updatedAt: string | null;
  prNumber: number | null;
  latestOccurrence: (Occurrence & { thumbnailUrl: string | null }) | null;
  agent: { _id: string; status: AgentStatus; costUsd: number | null } | null;
}

export interface IssueEvidence {
  kind: string;
  /** Seconds into the first session's video. */
  time: number | null;
  detail: string | null;
}

/** One agent run on the issue page (`agentSessions`, logs left out). */
export interface AgentRun {
  _id: string;
  status: AgentStatus;
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  costUsd: number | null;
  error: string | null;
  prUrl: string | null;
  prNumber: number | null;
  falseAlarmReason: string | null;
}

export interface IssueDetail extends Issue {
  severityReason: string | null;
  llmReasoning: string | null;
  screeningPassed: boolean | null;
  screeningReasoning: string | null;
  falseAlarmReason: string | null;
  prNumber: number | null;
  lastError: string | null;
  costUsd: number | null;
  evidence: IssueEvidence[] | null;
  statusHistory: { status: IssueStatus; at: string }[] | null;
  createdAt: string | null;
  agentSessions: AgentRun[];
}

export interface FalseAlarm {
  _id: string;
  pattern: string;
  source: 'agent' | 'manual';
  issueId: string | null;
  reason: string | null;
  createdAt: string | null;
}
