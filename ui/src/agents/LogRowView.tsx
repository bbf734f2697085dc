import { memo, useState } from 'react';
import { describeTool, formatDollars, formatDuration, type LogRow } from './logRows';
import { phaseLabel } from './phases';
import type { AgentStatus } from '../api/types';

/** Output longer than this is shown cut, with a button for the rest (the runner already caps an entry at 4,000). */
const OUTPUT_PREVIEW = 2000;

function pretty(input: unknown): string {
  return JSON.stringify(input, null, 2);
}

interface Props {
  row: LogRow;
  expanded: boolean;
  /** A tool call whose result has not come yet while the agent runs. */
  running: boolean;
  onToggle: (key: string) => void;
}

/** One row of the agent's log; a tool call is one line that opens to its arguments and output. */
export const LogRowView = memo(function LogRowView({ row, expanded, running, onToggle }: Props) {
  switch (row.kind) {
    case 'phase':
      return <h3 className="log-phase">{phaseLabel(row.phase as AgentStatus)}</h3>;
    case 'text':
      return <p className={row.thinking ? 'log-text log-thinking' : 'log-text'}>{row.text}</p>;
    case 'note':
      return <p className="log-note">{row.text}</p>;
    case 'result':
      return (
        <p className={row.ok ? 'log-result' : 'log-result log-result-bad'}>
          {row.ok ? '✓' : '✗'} {phaseLabel(row.phase as AgentStatus)} ended
          {row.costUsd != null && <> · {formatDollars(row.costUsd)}</>}
          {row.durationMs != null && <> · {formatDuration(row.durationMs)}</>}
        </p>
      );
    case 'tool':
      return <ToolCallRow row={row} expanded={expanded} running={running} onToggle={onToggle} />;
  }
});

export function ToolCallRow({ row, expanded, running, onToggle }: Props & { row: Extract<LogRow, { kind: 'tool' }> }) {
  const { icon, verb, target } = describeTool(row.name, row.input);
  const result = row.result;
  const state = result ? (result.isError ? 'failed' : 'ok') : running ? 'running' : 'unanswered';
  const duration = result?.at != null && row.startedAt != null ? formatDuration(result.at - row.startedAt) : null;
  const panel = `tool-${row.key}`;
  return (
    <div className={`tool-call tool-${state}`}>
      <button type="button" className="tool-line" aria-expanded={expanded} aria-controls={panel}
        onClick={() => onToggle(row.key)} title={`${row.name}: ${target}`}>
        <span className="tool-icon" aria-hidden="true">{icon}</span>
        <span className="tool-verb">{verb}</span>
        <code className="tool-target">{target}</code>
        <span className="tool-state" aria-label={{ ok: 'succeeded', failed: 'failed', running: 'running',
          unanswered: 'no result' }[state]}>
          {{ ok: '✓', failed: '✗', running: '…', unanswered: '–' }[state]}
        </span>
        <span className="tool-duration">{duration ?? ''}</span>
      </button>
      {expanded && (
        <div className="tool-detail" id={panel}>
          <div className="tool-section-title">Arguments</div>
          <pre className="tool-args">{pretty(row.input)}</pre>
          <div className="tool-section-title">Output</div>
          {result ? <ToolOutput text={result.text} /> : <p className="log-note">{running ? 'Running…' : 'No output recorded'}</p>}
        </div>
      )}
    </div>
  );
}

function ToolOutput({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  if (!text) return <p className="log-note">(no output)</p>;
  const cut = !all && text.length > OUTPUT_PREVIEW;
  return (
    <>
      <pre className="tool-output">{cut ? `${text.slice(0, OUTPUT_PREVIEW)}…` : text}</pre>
      {cut && (
        <button type="button" className="link-button" onClick={() => setAll(true)}>
          Show all {text.length.toLocaleString()} characters
        </button>
      )}
    </>
  );
}
