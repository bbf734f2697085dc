import { formatClock } from '../player/timeline';

/** A duration as the list shows it: `m:ss`, `h:mm:ss` from one hour, an en dash when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? '–' : formatClock(seconds);
}

/** A start time in the viewer's locale, short. */
export function formatStart(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '–';
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A URL without its scheme, for a line that has little room. */
export function shortUrl(url: string | null | undefined): string {
  return url ? url.replace(/^https?:\/\//, '') : '';
}

/** Dollars, to the cent (to a tenth of a cent under one cent, so a small model call does not read as free). */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || Number.isNaN(usd)) return '–';
  return usd > 0 && usd < 0.01 ? `$${usd.toFixed(3)}` : `$${usd.toFixed(2)}`;
}

/** The link that opens a session's video at a moment (`?t=` in whole seconds). */
export function sessionAt(sessionId: string, seconds: number | null | undefined): string {
  const base = `/sessions/${encodeURIComponent(sessionId)}`;
  return seconds === null || seconds === undefined ? base : `${base}?t=${Math.max(0, Math.floor(seconds))}`;
}
