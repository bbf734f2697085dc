package io.truffles.api.sessions;

import io.truffles.core.storage.ObjectStorage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Presigned GET URLs for S3 keys, each reused for a few minutes rather than signed on every read, for two reasons:
 * signing is the costliest part of a list page after the query (one URL per thumbnail; the AWS SDK's presigner takes
 * about half a millisecond a URL here, over 20 ms for a page of 50 — ApiBenchmark prints it), and a page loaded again
 * shows the same thumbnail URLs, which the browser then has in its cache. A URL handed out at most {@link #REUSE}
 * after it was made (signed to the second) still has at least 55 minutes of its hour left: fresh on each page load
 * as the seed means it. Bounded (least recently used keys go first).
 */
@Singleton
public class PresignedUrls {
    static final Duration REUSE = Duration.ofMinutes(4);
    private static final int MAX_KEYS = 20_000;

    private final ObjectStorage storage;
    private final Clock clock;
    private final Map<String, Signed> signed = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Signed> eldest) {
            return size() > MAX_KEYS;
        }
    };

    @Inject
    PresignedUrls(ObjectStorage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /** A presigned URL for {@code key}, valid for at least 55 more minutes; null for no key. */
    public String of(String key) {
        if (key == null || key.isBlank()) {
            return null;
        }
        Instant now = clock.instant();
        synchronized (signed) {
            Signed cached = signed.get(key);
            if (cached != null && now.isBefore(cached.madeAt.plus(REUSE)) && !now.isBefore(cached.madeAt)) {
                return cached.url;
            }
        }
        String url = storage.presignedGet(key).toString();
        synchronized (signed) {
            signed.put(key, new Signed(url, now));
        }
        return url;
    }

    private record Signed(String url, Instant madeAt) {
    }
}
