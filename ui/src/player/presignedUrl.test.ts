import { presignedUrlExpiry, refreshDelay } from './presignedUrl';

const url = 'http://127.0.0.1:4005/truffles/sessions/a/recording.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256'
  + '&X-Amz-Date=20261207T101500Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=abc';

describe('presigned URLs', () => {
  it('expire at their signing time plus X-Amz-Expires', () => {
    expect(presignedUrlExpiry(url)).toBe(Date.UTC(2026, 11, 7, 11, 15, 0));
  });

  it('have no expiry when they are not presigned', () => {
    expect(presignedUrlExpiry('/video.mp4')).toBeNull();
    expect(presignedUrlExpiry(null)).toBeNull();
  });

  it('are refreshed five minutes before they expire, and soon when that is already past', () => {
    const expiry = presignedUrlExpiry(url)!;
    expect(refreshDelay(expiry, expiry - 60 * 60_000)).toBe(55 * 60_000);
    expect(refreshDelay(expiry, expiry - 60_000)).toBe(1000);
    expect(refreshDelay(null, 0)).toBeNull();
  });
});
