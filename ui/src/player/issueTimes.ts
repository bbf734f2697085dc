import type { ConsoleError, Issue, NetworkFailure, TimelineSegment } from '../api/types';
import { videoTimeOf } from './timeline';

/** An issue's moment in this session's video: its occurrence here, else (first session) its own timestamp. */
export function issueTimeIn(issue: Issue, sessionId: string): number {
  const here = issue.occurrences?.find((occurrence) => occurrence.sessionId === sessionId);
  return here?.timestamp ?? issue.timestamp ?? 0;
}

export interface IssueRow { kind: 'issue'; id: string; time: number; issue: Issue }
export interface ConsoleRow { kind: 'console'; id: string; time: number; error: ConsoleError }
export interface NetworkRow { kind: 'network'; id: string; time: number; failure: NetworkFailure }

/** The session's rows in video time, each list in time order. */
export function sessionRows(sessionId: string, issues: Issue[], consoleErrors: ConsoleError[] | null,
  networkFailures: NetworkFailure[] | null, mapping: TimelineSegment[]) {
  const issueRows: IssueRow[] = issues
    .map((issue) => ({ kind: 'issue' as const, id: issue._id, time: issueTimeIn(issue, sessionId), issue }))
    .sort((a, b) => a.time - b.time);
  const consoleRows: ConsoleRow[] = (consoleErrors ?? [])
    .map((error, index) => ({
      kind: 'console' as const, id: `c${index}`, time: videoTimeOf(mapping, error.offsetSeconds), error,
    }))
    .sort((a, b) => a.time - b.time);
  const networkRows: NetworkRow[] = (networkFailures ?? [])
    .map((failure, index) => ({
      kind: 'network' as const, id: `n${index}`, time: videoTimeOf(mapping, failure.offsetSeconds), failure,
    }))
    .sort((a, b) => a.time - b.time);
  return { issueRows, consoleRows, networkRows };
}

/** The analyzer's `modelUsed` for what its deterministic detectors found. */
const DETECTORS = 'deterministic-detectors';

/** Who reported an issue, in words: a detector, the text model (session data) or the video model. */
export function issueSource(issue: Issue): string {
  const fromData = !issue.modelUsed || issue.modelUsed === DETECTORS ? 'detector' : 'text model';
  switch (issue.analysisSource) {
    case 'video':
      return 'video model';
    case 'both':
      return `${fromData} + video model`;
    default:
      return fromData;
  }
}
