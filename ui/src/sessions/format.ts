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
