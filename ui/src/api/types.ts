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
  /** Set while a spending cap holds the session in `analyzing`: which cap, spent / limit, when it resumes. */
  waitingReason?: string | null;
  /** Why the video models did or did not watch it (the `videoSessions` setting). */
  videoDecision?: { sent: boolean; reason: string } | null;
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
  /** Today's dollars by model (the analyzer's models and the agents'). */
  spendTodayByModel?: Record<string, number>;
  spendThisMonthUsd?: number;
  /** The spending caps; `null` is no cap. */
  caps?: Record<string, number | null>;
  /** Why work of each kind waits (`models`, `agents`), or `null` when it does not. */
  holds?: Record<string, string | null>;
}

/** `GET /api/stats/costs`. */
export interface CostReport {
  from: string;
  to: string;
  totalUsd: number;
  modelUsd: number;
  agentUsd: number;
  days: { day: string; modelUsd: number; agentUsd: number; totalUsd: number }[];
  byModel: Record<string, number>;
  sessionMinutesAnalysed: number;
  modelUsdPerSessionMinute: number | null;
  issuesFixed: number;
  agentUsdPerIssueFixed: number | null;
}

/** Where sessions come from (`GET /api/sessions/source`). */
export interface RecordingSource {
  source: 'posthog' | 'inbox';
  inboxPath: string | null;
}

export type AgentStatus =
  | 'queued' | 'starting' | 'verifying' | 'planning' | 'coding' | 'reviewing'
  | 'done' | 'failed' | 'false_alarm';

/** Tokens and dollars an agent's model calls used so far, summed from its log by the api. */
export interface AgentUsage {
  inputTokens: number;
  outputTokens: number;
  /** Dollars of the phases that ended (each phase's result line); the agent's `costUsd` once it ended. */
  costUsd: number;
}

/** An agent session as the lists show it (no log). */
export interface AgentSession {
  _id: string;
  issueId: string;
  status: AgentStatus;
  issueTitle: string | null;
  createdAt: string;
  updatedAt?: string | null;
  startedAt: string | null;
  completedAt: string | null;
  costUsd: number | null;
  error: string | null;
  /** Why the agent judged the issue a false alarm. */
  falseAlarmReason?: string | null;
  /** The queue's last failure (a failed agent's reason when the runner wrote no `error`). */
  lastError?: string | null;
  /** The statuses it took, oldest first. */
  statusHistory?: { status: AgentStatus; at: string }[] | null;
  prUrl: string | null;
  prNumber: number | null;
  stopRequested: boolean | null;
  usage?: AgentUsage | null;
  /** Set on a queued agent while the agent budget holds it: which cap, spent / limit, when it resumes. */
  waitingReason?: string | null;
}

export interface AgentsOverview {
  active: AgentSession[];
  queue: AgentSession[];
  stats: { running: number; queued: number; done: number; failed: number; falseAlarm: number; totalCostUsd: number };
}

/** One entry of an agent's output log: a line of the `claude` CLI's stream-json, or a line of the runner's. */
export interface OutputEntry {
  timestamp: string | null;
  phase: string | null;
  content: string;
}

/** `GET /api/agents/<id>`: the agent with one page of its log. */
export interface AgentDetail extends AgentSession {
  outputLog: OutputEntry[];
  outputLogOffset: number;
  outputLogTotal: number;
}

// The messages of /ws/agents (api/live/AgentEvent).
export interface FeedOutput extends OutputEntry {
  type: 'output';
  agentId: string;
  /** Its index in the agent's log: 0, 1, 2, ... */
  seq: number;
}

export interface FeedAgentSummary {
  _id: string;
  issueId: string | null;
  status: AgentStatus | null;
  issueTitle?: string;
  startedAt?: string;
  createdAt?: string;
  costUsd?: number;
  /** How long its log is: later output has seq >= this. */
  outputCount: number;
  recentOutput: FeedOutput[];
}

export interface FeedSnapshot {
  type: 'snapshot';
  active: FeedAgentSummary[];
  queued: FeedAgentSummary[];
}

export interface FeedStatus {
  type: 'status';
  agentId: string;
  issueId?: string;
  status: AgentStatus | null;
  previousStatus?: AgentStatus | null;
  /** Entries of its log that came before this change. */
  outputCount: number;
  error?: string;
  prUrl?: string;
}

export type FeedMessage = FeedSnapshot | FeedStatus | FeedOutput;

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
  /** Summed from its log by the api: a running agent's cost so far (`costUsd` is written when it ends). */
  usage?: AgentUsage | null;
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
