import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LogRow } from './logRows';
import { LogRowView } from './LogRowView';

/** Within this many pixels of the end the view counts as at the tail, and follows it. */
const TAIL_SLACK = 48;

interface Props {
  rows: LogRow[];
  /** Changes whenever rows were added or completed (rows is mutated in place). */
  version: number;
  live: boolean;
  /** Entries of the log the rows are built from (for tests and the benchmark to compare with the api). */
  entries: number;
}

/**
 * The log, virtualised (only the rows in view are in the DOM, so 5,000 entries scroll as smoothly as 50). It follows
 * the tail until the person scrolls up, then offers "Jump to latest". The running tool call is open; a click opens or
 * closes any tool call.
 */
export function LogView({ rows, version, live, entries }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  const runningKey = live ? lastUnansweredTool(rows) : null;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (rows[index]?.kind === 'tool' ? 34 : 30),
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 12,
  });

  const follow = useCallback((on: boolean) => {
    followingRef.current = on;
    setFollowing(on);
  }, []);

  const toBottom = useCallback(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, []);

  const totalSize = virtualizer.getTotalSize();
  useLayoutEffect(() => {
    if (followingRef.current && rows.length > 0) toBottom();
  }, [version, totalSize, rows.length, toBottom]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const atTail = element.scrollHeight - element.scrollTop - element.clientHeight <= TAIL_SLACK;
    if (atTail !== followingRef.current) follow(atTail);
  };

  const onToggle = useCallback((key: string) => {
    setToggled((current) => {
      const next = new Map(current);
      next.set(key, !(current.get(key) ?? key === runningKeyRef.current));
      return next;
    });
  }, []);
  const runningKeyRef = useRef(runningKey);
  runningKeyRef.current = runningKey;

  return (
    <div className="log-wrap">
      <div ref={scroller} className="log" onScroll={onScroll} role="log" aria-live="off" aria-label="Agent output"
        data-rows={rows.length} data-entries={entries}>
        {rows.length === 0 && <p className="log-note log-empty">No output yet.</p>}
        <div style={{ height: totalSize, position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="log-row"
                data-seq={row.seq} data-kind={row.kind} data-tool={row.kind === 'tool' ? row.id : undefined}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}>
                <LogRowView row={row} running={row.key === runningKey}
                  expanded={toggled.get(row.key) ?? row.key === runningKey} onToggle={onToggle} />
              </div>
            );
          })}
        </div>
      </div>
      {!following && (
        <button type="button" className="jump-latest" onClick={() => {
          follow(true);
          toBottom();
        }}>
          Jump to latest ↓
        </button>
      )}
    </div>
  );
}

function lastUnansweredTool(rows: LogRow[]): string | null {
  for (let i = rows.length - 1; i >= 0 && i >= rows.length - 50; i--) {
    const row = rows[i];
    if (row.kind === 'tool') return row.result ? null : row.key;
  }
  return null;
}
