import { fireEvent, render, screen } from '@testing-library/react';
import { Timeline, type IssueMarker } from './Timeline';

function setWidth(width: number) {
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => width });
}

const issues: IssueMarker[] = [
  { id: 'a', time: 10, rank: 0, title: 'Search shows nothing', severity: 'yellow' },
  { id: 'b', time: 10.2, rank: 1, title: 'Pay button does nothing', severity: 'red' },
  { id: 'c', time: 65, rank: 1, title: 'Checkout 500', severity: 'red' },
];

describe('Timeline', () => {
  it('names each marker by its title and time, merges close ones and draws red on top', () => {
    setWidth(600);
    const onMarker = vi.fn();
    render(<Timeline duration={100} currentTime={0} issues={issues} events={[]} idle={[]} onSeek={() => undefined}
      onMarker={onMarker} />);
    expect(screen.getByRole('button', { name: 'Checkout 500 at 1:05' })).toBeInTheDocument();
    const merged = screen.getByRole('button', { name: /^2 issues at 0:10: / });
    expect(merged).toHaveAccessibleName(
      '2 issues at 0:10: Search shows nothing at 0:10; Pay button does nothing at 0:10');
    expect(merged).toHaveClass('marker-red');
    fireEvent.click(merged);
    expect(onMarker).toHaveBeenCalledWith(expect.objectContaining({ time: 10 }));
    fireEvent.mouseEnter(merged);
    expect(screen.getByRole('tooltip')).toHaveTextContent('Search shows nothing');
    expect(screen.getByRole('tooltip')).toHaveTextContent('Pay button does nothing');
  });

  it('shows collapsed idle stretches with the real idle time', () => {
    setWidth(600);
    render(<Timeline duration={100} currentTime={0} issues={[]} events={[]}
      idle={[{ videoStart: 30, videoEnd: 32, idleSeconds: 300 }]} onSeek={() => undefined}
      onMarker={() => undefined} />);
    expect(screen.getByText('Idle for 5:00, skipped')).toBeInTheDocument();
    expect(screen.getByTitle('Idle for 5:00 (skipped)')).toBeInTheDocument();
  });

  it('seeks where the track is clicked', () => {
    setWidth(600);
    const onSeek = vi.fn();
    render(<Timeline duration={120} currentTime={0} issues={[]} events={[]} idle={[]} onSeek={onSeek}
      onMarker={() => undefined} />);
    const track = screen.getByRole('slider', { name: 'Seek' });
    track.getBoundingClientRect = () => ({ left: 0, width: 600, top: 0, height: 14, right: 600, bottom: 14, x: 0,
      y: 0, toJSON: () => ({}) });
    fireEvent.pointerDown(track, { clientX: 150, button: 0, pointerId: 1 });
    expect(onSeek).toHaveBeenCalledWith(30);
  });
});
