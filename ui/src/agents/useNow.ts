import { useEffect, useState } from 'react';

/** The time now, ticking every `ms` while the component is shown (elapsed times of running agents). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
