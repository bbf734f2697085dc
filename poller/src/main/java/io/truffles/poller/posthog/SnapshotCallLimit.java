package io.truffles.poller.posthog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * PostHog's throttles on snapshot calls made with a personal API key: a burst limit per minute and a sustained limit
 * per hour (free plan: 12 and 60). Calls are spaced evenly for the minute limit, so a burst never trips it, and held
 * back once the last hour already used the hourly allowance. Every attempt counts, answered or not: PostHog counts
 * the requests it receives.
 */
final class SnapshotCallLimit {
    private static final Duration HOUR = Duration.ofHours(1);

    private final Clock clock;
    private final Duration spacing;
    private final int perHour;
    /** When the calls of the last hour were made, oldest first; at most {@code perHour} of them. */
    private final Deque<Instant> lastHour = new ArrayDeque<>();

    SnapshotCallLimit(Clock clock, int perMinute, int perHour) {
        this.clock = clock;
        this.spacing = Duration.ofMillis(Math.max(1, 60_000L / Math.max(1, perMinute)));
        this.perHour = Math.max(1, perHour);
    }

    /** How long to wait before the next call may go out; zero when it may go now. */
    synchronized Duration delay() {
        Instant now = clock.instant();
        while (!lastHour.isEmpty() && !lastHour.peekFirst().plus(HOUR).isAfter(now)) {
            lastHour.removeFirst();
        }
        Instant allowed = lastHour.isEmpty() ? now : lastHour.peekLast().plus(spacing);
        if (lastHour.size() >= perHour) {
            Instant hourFreed = lastHour.peekFirst().plus(HOUR);
            allowed = hourFreed.isAfter(allowed) ? hourFreed : allowed;
        }
        return allowed.isAfter(now) ? Duration.between(now, allowed) : Duration.ZERO;
    }

    /** Counts a call made now. */
    synchronized void made() {
        lastHour.addLast(clock.instant());
        while (lastHour.size() > perHour) {
            lastHour.removeFirst();
        }
    }
}
