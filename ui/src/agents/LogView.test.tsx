import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { LogRows } from './logRows';
import { LogView } from './LogView';
import { toolResult, toolUse } from './streamLines';

function at(ms: number) {
  return new Date(Date.UTC(2026, 11, 7, 10, 0, 0) + ms).toISOString();
}

describe('LogView', () => {
  // jsdom lays nothing out: give the list a viewport so the virtualiser renders its rows
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800);
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(34);
  });
  afterEach(() => vi.restoreAllMocks());

  function log() {
    const rows = new LogRows();
    const command = `sed -i 's/s + i.price/s + i.price * i.quantity/' src/cart.js && npm test -- --reporter=dot --bail`;
    rows.append({ seq: 0, timestamp: at(0), phase: 'coding', content: toolUse('t1', 'Bash', { command }) });
    rows.append({ seq: 1, timestamp: at(1500), phase: 'coding', content: toolResult('t1', 'Tests: 3 passed') });
    rows.append({ seq: 2, timestamp: at(1600), phase: 'coding', content: toolUse('t2', 'Read', { file_path: 'src/x.js' }) });
    rows.append({ seq: 3, timestamp: at(1900), phase: 'coding', content: toolResult('t2', 'ENOENT', true) });
    rows.append({ seq: 4, timestamp: at(2000), phase: 'coding', content: toolUse('t3', 'Bash', { command: 'npm run lint' }) });
    return rows;
  }

  it('shows a tool call as one collapsed line: icon, verb, target cut to 80 characters, ✓/✗ and duration', () => {
    const rows = log();
    render(<LogView rows={rows.rows} version={rows.version} live={true} entries={5} />);
    const [done, failed] = screen.getAllByRole('button', { expanded: false });
    expect(done).toHaveTextContent('$Ran');
    const target = within(done).getByText(/^sed -i/);
    expect(target.textContent).toHaveLength(80);
    expect(within(done).getByLabelText('succeeded')).toHaveTextContent('✓');
    expect(done).toHaveTextContent('1.5 s');
    expect(within(failed).getByLabelText('failed')).toHaveTextContent('✗');
    expect(failed).toHaveTextContent('300 ms');
    expect(screen.queryByText('Tests: 3 passed')).not.toBeInTheDocument();

    fireEvent.click(done);
    expect(done).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText('Tests: 3 passed')).toBeInTheDocument();
    expect(screen.getByText(/"command": "sed -i/)).toBeInTheDocument();
  });

  it('keeps the running step open, and lets it be closed', () => {
    const rows = log();
    render(<LogView rows={rows.rows} version={rows.version} live={true} entries={5} />);
    const running = screen.getByRole('button', { expanded: true });
    expect(running).toHaveTextContent('npm run lint');
    expect(within(running).getByLabelText('running')).toBeInTheDocument();
    expect(screen.getByText('Running…')).toBeInTheDocument();
    fireEvent.click(running);
    expect(running).toHaveAttribute('aria-expanded', 'false');
  });

  it('does not call a step running once the agent ended', () => {
    const rows = log();
    render(<LogView rows={rows.rows} version={rows.version} live={false} entries={5} />);
    expect(screen.queryByRole('button', { expanded: true })).not.toBeInTheDocument();
    expect(screen.getByLabelText('no result')).toBeInTheDocument();
  });

  it('follows the tail until the person scrolls up, then offers "Jump to latest" and stays put', () => {
    let height = 2000;
    vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(() => height);
    const rows = log();
    const { rerender } = render(<LogView rows={rows.rows} version={rows.version} live={true} entries={5} />);
    const view = screen.getByRole('log');
    expect(view.scrollTop).toBe(2000);
    expect(screen.queryByRole('button', { name: /Jump to latest/ })).not.toBeInTheDocument();

    view.scrollTop = 300;
    fireEvent.scroll(view);
    const jump = screen.getByRole('button', { name: /Jump to latest/ });
    height = 2400;
    rows.append({ seq: 5, timestamp: at(2100), phase: 'coding', content: toolResult('t3', 'lint clean') });
    rerender(<LogView rows={rows.rows} version={rows.version} live={true} entries={6} />);
    expect(view.scrollTop).toBe(300);

    act(() => jump.click());
    expect(view.scrollTop).toBe(2400);
    expect(screen.queryByRole('button', { name: /Jump to latest/ })).not.toBeInTheDocument();
    height = 2800;
    rows.append({ seq: 6, timestamp: at(2200), phase: 'coding',
      content: toolUse('t4', 'Read', { file_path: 'y.js' }) });
    rerender(<LogView rows={rows.rows} version={rows.version} live={true} entries={7} />);
    expect(view.scrollTop).toBe(2800);
  });
});
