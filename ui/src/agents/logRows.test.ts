import { describeTool, LogRows } from './logRows';
import { assistantText, phaseResult, toolResult, toolUse } from './streamLines';

function at(ms: number) {
  return new Date(Date.UTC(2026, 11, 7, 10, 0, 0) + ms).toISOString();
}

describe('LogRows', () => {
  it('makes one row per tool call, completed in place by its result, and text as text', () => {
    const rows = new LogRows();
    rows.append({ seq: 0, timestamp: at(0), phase: 'coding', content: assistantText('Looking at the cart.') });
    rows.append({ seq: 1, timestamp: at(100), phase: 'coding', content: toolUse('t1', 'Bash', { command: 'npm test' }) });
    rows.append({ seq: 2, timestamp: at(2600), phase: 'coding', content: toolResult('t1', [{ type: 'text', text: '3 passed' }]) });
    rows.append({ seq: 3, timestamp: at(2700), phase: 'coding', content: phaseResult(0.0125) });

    expect(rows.rows.map((row) => row.kind)).toEqual(['phase', 'text', 'tool', 'result']);
    const tool = rows.rows[2];
    expect(tool.kind === 'tool' && tool.result).toEqual({ text: '3 passed', isError: false, at: Date.parse(at(2600)) });
    expect(rows.usage).toEqual({ inputTokens: 130, outputTokens: 35, costUsd: 0.0125 });
  });

  it('counts a message printed as several lines once, and keeps a line that is not JSON as a note', () => {
    const rows = new LogRows();
    rows.append({ seq: 0, timestamp: null, phase: 'coding', content: toolUse('t1', 'Read', { file_path: 'a' }, 'm') });
    rows.append({ seq: 1, timestamp: null, phase: 'coding', content: toolUse('t2', 'Read', { file_path: 'b' }, 'm') });
    rows.append({ seq: 2, timestamp: null, phase: 'coding', content: '… 12 entries dropped' });
    expect(rows.usage.inputTokens).toBe(120);
    expect(rows.rows.at(-1)).toMatchObject({ kind: 'note', text: '… 12 entries dropped' });
  });
});

describe('describeTool', () => {
  it('names the call by its verb and its most telling argument, cut to 80 characters', () => {
    expect(describeTool('Bash', { command: 'npm test', description: 'run tests' }))
      .toEqual({ icon: '$', verb: 'Ran', target: 'npm test' });
    expect(describeTool('Edit', { file_path: 'src/cart.js', old_string: 'a', new_string: 'b' }).target).toBe('src/cart.js');
    expect(describeTool('Grep', { pattern: 'price', path: 'src' }).target).toBe('price in src');
    const long = describeTool('Bash', { command: `echo ${'x'.repeat(200)}` }).target;
    expect(long).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
    expect(describeTool('Mystery', { a: 1 })).toEqual({ icon: '⚙', verb: 'Mystery', target: '{"a":1}' });
  });
});
