import type { OutputEntry } from '../api/types';

export interface LogEntry extends OutputEntry {
  seq: number;
}

export interface ToolResult {
  text: string;
  isError: boolean;
  at: number | null;
}

/** What the agent page shows for its log: one row per tool call, text as text, each phase's result. */
export type LogRow =
  | { kind: 'tool'; key: string; seq: number; phase: string | null; id: string; name: string; input: unknown;
      startedAt: number | null; result: ToolResult | null }
  | { kind: 'text'; key: string; seq: number; phase: string | null; text: string; thinking: boolean }
  | { kind: 'phase'; key: string; seq: number; phase: string }
  | { kind: 'result'; key: string; seq: number; phase: string | null; ok: boolean; costUsd: number | null;
      durationMs: number | null; text: string }
  | { kind: 'note'; key: string; seq: number; phase: string | null; text: string };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Dollars of the phases that ended (their result lines). */
  costUsd: number;
}

interface Block {
  type?: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

interface StreamLine {
  type?: string;
  subtype?: string;
  model?: string;
  message?: { id?: string; content?: unknown; usage?: Record<string, number> };
  total_cost_usd?: number;
  duration_ms?: number;
  is_error?: boolean;
  result?: string;
}

function parse(content: string): StreamLine | null {
  if (!content.startsWith('{')) return null;
  try {
    const value = JSON.parse(content);
    return value && typeof value === 'object' ? (value as StreamLine) : null;
  } catch {
    return null; // a line cut at the log's entry limit, or the runner's own text
  }
}

function time(entry: LogEntry): number | null {
  return entry.timestamp ? Date.parse(entry.timestamp) : null;
}

export function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part === 'string' ? part : (part?.text ?? JSON.stringify(part))))
      .join('\n');
  }
  return content == null ? '' : JSON.stringify(content, null, 2);
}

/**
 * The rows of a log, built as its entries arrive in `seq` order (each entry is parsed once, so a 5,000-entry log and
 * 25 more a second cost only the new ones). A tool call's row is completed in place when its result arrives;
 * `version` changes on every change so a view knows to render.
 */
export class LogRows {
  readonly rows: LogRow[] = [];
  version = 0;
  private readonly toolRows = new Map<string, number>();
  private readonly countedMessages = new Set<string>();
  private lastPhase: string | null = null;
  private tokensIn = 0;
  private tokensOut = 0;
  private cost = 0;

  get usage(): Usage {
    return { inputTokens: this.tokensIn, outputTokens: this.tokensOut, costUsd: this.cost };
  }

  append(entry: LogEntry): void {
    this.version++;
    if (entry.phase && entry.phase !== this.lastPhase) {
      this.lastPhase = entry.phase;
      this.rows.push({ kind: 'phase', key: `p${entry.seq}`, seq: entry.seq, phase: entry.phase });
    }
    const line = parse(entry.content);
    const phase = entry.phase;
    if (!line) {
      this.rows.push({ kind: 'note', key: `n${entry.seq}`, seq: entry.seq, phase, text: entry.content });
      return;
    }
    switch (line.type) {
      case 'assistant':
        this.assistant(entry, line);
        return;
      case 'user':
        this.toolResults(entry, line);
        return;
      case 'result':
        if (typeof line.total_cost_usd === 'number') this.cost += line.total_cost_usd;
        this.rows.push({ kind: 'result', key: `r${entry.seq}`, seq: entry.seq, phase,
          ok: !line.is_error && (line.subtype ?? 'success') === 'success',
          costUsd: line.total_cost_usd ?? null, durationMs: line.duration_ms ?? null,
          text: line.result ?? line.subtype ?? '' });
        return;
      case 'system':
        if (line.subtype === 'init') {
          this.rows.push({ kind: 'note', key: `n${entry.seq}`, seq: entry.seq, phase,
            text: `Session started${line.model ? ` (${line.model})` : ''}` });
        }
        return; // other system lines (hooks, compaction) are the CLI's bookkeeping
      default:
        this.rows.push({ kind: 'note', key: `n${entry.seq}`, seq: entry.seq, phase, text: entry.content });
    }
  }

  private assistant(entry: LogEntry, line: StreamLine): void {
    const message = line.message ?? {};
    // the CLI prints one line per content block of a message, each with the message's usage: count a message once
    if (message.usage && !(message.id && this.countedMessages.has(message.id))) {
      if (message.id) this.countedMessages.add(message.id);
      const usage = message.usage;
      this.tokensIn += (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0)
        + (usage.cache_read_input_tokens ?? 0);
      this.tokensOut += usage.output_tokens ?? 0;
    }
    const blocks = Array.isArray(message.content) ? (message.content as Block[]) : [];
    blocks.forEach((block, index) => {
      const key = `${entry.seq}.${index}`;
      if (block.type === 'tool_use' && block.id) {
        this.toolRows.set(block.id, this.rows.length);
        this.rows.push({ kind: 'tool', key: `t${key}`, seq: entry.seq, phase: entry.phase, id: block.id,
          name: block.name ?? 'tool', input: block.input ?? {}, startedAt: time(entry), result: null });
      } else if (block.type === 'text' && block.text?.trim()) {
        this.rows.push({ kind: 'text', key: `x${key}`, seq: entry.seq, phase: entry.phase, text: block.text,
          thinking: false });
      } else if (block.type === 'thinking' && block.thinking?.trim()) {
        this.rows.push({ kind: 'text', key: `x${key}`, seq: entry.seq, phase: entry.phase, text: block.thinking,
          thinking: true });
      }
    });
  }

  private toolResults(entry: LogEntry, line: StreamLine): void {
    const blocks = Array.isArray(line.message?.content) ? (line.message!.content as Block[]) : [];
    for (const block of blocks) {
      if (block.type !== 'tool_result' || !block.tool_use_id) continue;
      const index = this.toolRows.get(block.tool_use_id);
      const result = { text: resultText(block.content), isError: block.is_error === true, at: time(entry) };
      const row = index === undefined ? undefined : this.rows[index];
      if (row && row.kind === 'tool') {
        // a new object, so a memoised row re-renders
        this.rows[index!] = { ...row, result };
      } else {
        this.rows.push({ kind: 'note', key: `n${entry.seq}`, seq: entry.seq, phase: entry.phase,
          text: `Tool result (${result.isError ? 'error' : 'ok'}): ${result.text}` });
      }
    }
  }
}

// glyphs every Linux desktop's fonts (and Debian's headless Chromium) draw: no emoji
const VERBS: Record<string, [icon: string, verb: string]> = {
  Bash: ['$', 'Ran'],
  BashOutput: ['$', 'Read output of'],
  KillShell: ['■', 'Stopped'],
  Read: ['▤', 'Read'],
  Edit: ['✎', 'Edited'],
  MultiEdit: ['✎', 'Edited'],
  Write: ['✚', 'Wrote'],
  NotebookEdit: ['✎', 'Edited'],
  Grep: ['⌕', 'Searched'],
  Glob: ['☰', 'Listed'],
  LS: ['☰', 'Listed'],
  WebFetch: ['↗', 'Fetched'],
  WebSearch: ['⌕', 'Searched the web for'],
  Task: ['◎', 'Delegated'],
  TodoWrite: ['☑', 'Updated the to-do list'],
  StructuredOutput: ['⚑', 'Reported'],
};

/** The row's icon, verb and target ("Ran", "npm test"), the target cut to `max` characters. */
export function describeTool(name: string, input: unknown, max = 80): { icon: string; verb: string; target: string } {
  const [icon, verb] = VERBS[name] ?? ['⚙', name];
  const args = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const pick = ['command', 'file_path', 'notebook_path', 'pattern', 'url', 'query', 'path', 'description', 'shell_id']
    .map((field) => args[field]).find((value) => typeof value === 'string' && value.length > 0) as string | undefined;
  let target = pick ?? (name === 'TodoWrite' || Object.keys(args).length === 0 ? '' : JSON.stringify(args));
  if (name === 'Grep' && typeof args.path === 'string' && pick === args.pattern) target = `${pick} in ${args.path}`;
  target = target.replace(/\s+/g, ' ').trim();
  if (target.length > max) target = `${target.slice(0, max - 1)}…`;
  return { icon, verb, target };
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

export function formatDollars(usd: number | null | undefined): string {
  if (usd == null) return '—';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}
