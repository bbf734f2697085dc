import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { WaitingBadge } from './WaitingBadge';

describe('WaitingBadge', () => {
  it('says why the work waits', () => {
    render(<WaitingBadge reason="Today's agent budget is reached: $10.20 of $10.00 (dailyAgentBudgetUsd)" />);
    expect(screen.getByText(/^waiting: Today's agent budget is reached: \$10\.20 of \$10\.00/)).toBeInTheDocument();
  });

  it('shows nothing for work that does not wait', () => {
    const { container } = render(<WaitingBadge reason={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});
