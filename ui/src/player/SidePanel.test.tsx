import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { SidePanel, type Tab } from './SidePanel';
import type { ConsoleRow } from './issueTimes';

const consoleRows: ConsoleRow[] = [1, 4, 9].map((time, index) => ({
  kind: 'console', id: `c${index}`, time,
  error: { message: `Error number ${index}`, stack: null, url: 'https://shop.example.com/', offsetSeconds: time,
    time: null },
}));

function panel(currentTime: number, onSeek = vi.fn(), tab: Tab = 'console') {
  return render(
    <MemoryRouter>
      <SidePanel tab={tab} onTab={() => undefined} currentTime={currentTime} issueRows={[]} consoleRows={consoleRows}
        networkRows={[]} selectedIssue={null} selectionNonce={0} onSeek={onSeek} />
    </MemoryRouter>,
  );
}

describe('SidePanel', () => {
  // jsdom lays nothing out: give the list a viewport so the virtualiser renders its rows
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(380);
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(56);
  });
  afterEach(() => vi.restoreAllMocks());

  it('labels its tabs with counts', () => {
    panel(0);
    expect(screen.getByRole('tab', { name: 'Issues (0)' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Console (3)' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tab', { name: 'Network (0 failed)' })).toBeInTheDocument();
  });

  it('highlights the row at or before the playhead', () => {
    panel(5);
    const current = document.querySelector('[aria-current="time"]') as HTMLElement;
    expect(within(current).getByText('Error number 1')).toBeInTheDocument();
  });

  it('seeks one second before a row when its time is clicked', () => {
    const onSeek = vi.fn();
    panel(0, onSeek);
    fireEvent.click(screen.getByRole('button', { name: 'Play from 0:08' }));
    expect(onSeek).toHaveBeenCalledWith(8);
  });

  it('stops following when scrolled by hand and offers to jump back', () => {
    panel(5);
    expect(screen.queryByRole('button', { name: 'Jump to current time' })).toBeNull();
    fireEvent.wheel(document.querySelector('.list-scroll')!);
    fireEvent.click(screen.getByRole('button', { name: 'Jump to current time' }));
    expect(screen.queryByRole('button', { name: 'Jump to current time' })).toBeNull();
  });

  it('filters by text', () => {
    panel(0);
    fireEvent.change(screen.getByPlaceholderText('Search console'), { target: { value: 'number 2' } });
    expect(screen.getByText('Error number 2')).toBeInTheDocument();
    expect(screen.queryByText('Error number 0')).toBeNull();
  });
});
