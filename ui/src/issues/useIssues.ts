import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, postAsAdmin } from '../api/client';
import type { AgentRun, Issue, IssueDetail, IssueListItem, Page } from '../api/types';
import { issuesApiQuery, type IssueFilters } from './board';

/** The board asks again this often, so a card moves within 5 s of its status changing. */
export const BOARD_REFRESH_MS = 3000;
/** The api's largest page, and how many the board reads at most (it says when there are more). */
const PAGE = 200;
export const BOARD_MAX = 1000;

export interface BoardIssues {
  items: IssueListItem[];
  truncated: boolean;
}

/** Every issue the filters match (up to BOARD_MAX), refreshed while the board is open. */
export function useBoardIssues(filters: IssueFilters) {
  return useQuery({
    queryKey: ['issues', 'board', filters],
    queryFn: async ({ signal }): Promise<BoardIssues> => {
      const items: IssueListItem[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<IssueListItem> = await getJson(`/api/issues?${issuesApiQuery(filters, cursor, PAGE)}`, signal);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && items.length < BOARD_MAX);
      return { items, truncated: cursor !== null };
    },
    refetchInterval: BOARD_REFRESH_MS,
  });
}

export function useIssue(id: string) {
  return useQuery({
    queryKey: ['issue', id],
    queryFn: ({ signal }) => getJson<IssueDetail>(`/api/issues/${encodeURIComponent(id)}`, signal),
    refetchInterval: BOARD_REFRESH_MS,
  });
}

/** Queues an agent for the issue (admin); refused (409) while another one is live. */
export function useStartAgent(issue: IssueDetail) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => postAsAdmin<AgentRun>('/api/agents/start', {
      issueId: issue._id, issueTitle: issue.title, issueDescription: issue.description, severity: issue.severity,
    }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['issue', issue._id] }),
  });
}

/** Marks the issue a false alarm with a reason (admin); its pattern joins the false alarms. */
export function useMarkFalseAlarm(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      postAsAdmin<Issue>(`/api/issues/${encodeURIComponent(id)}/false-alarm`, { reason }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ['issue', id] });
      client.invalidateQueries({ queryKey: ['issues'] });
      client.invalidateQueries({ queryKey: ['false-alarms'] });
    },
  });
}
