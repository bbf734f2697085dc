// The chosen speed is remembered across sessions in localStorage: a preference, never anything secret.
const KEY = 'truffles.playbackSpeed';

export const SPEEDS = [0.5, 1, 1.5, 2, 4, 8] as const;

export function rememberedSpeed(): number {
  const stored = Number(localStorage.getItem(KEY));
  return (SPEEDS as readonly number[]).includes(stored) ? stored : 1;
}

export function rememberSpeed(speed: number): void {
  localStorage.setItem(KEY, String(speed));
}
