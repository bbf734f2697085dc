/**
 * When a presigned S3 URL stops working: `X-Amz-Date` (yyyyMMddTHHmmssZ) plus `X-Amz-Expires` seconds. Null when the
 * URL carries neither (not presigned), so nothing is scheduled for it.
 */
export function presignedUrlExpiry(url: string | null | undefined): number | null {
  if (!url) return null;
  let query: URLSearchParams;
  try {
    query = new URL(url, 'http://localhost').searchParams;
  } catch {
    return null;
  }
  const date = query.get('X-Amz-Date');
  const expires = Number(query.get('X-Amz-Expires'));
  const match = date?.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!match || !Number.isFinite(expires) || expires <= 0) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s) + expires * 1000;
}

/** How long to wait before fetching a fresh URL: five minutes before it expires, at least a second from now. */
export function refreshDelay(expiresAt: number | null, now: number): number | null {
  if (expiresAt === null) return null;
  return Math.max(1000, expiresAt - 5 * 60_000 - now);
}
