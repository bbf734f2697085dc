package io.truffles.core.retry;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The waits of one outbound client between attempts: what the server's {@code Retry-After} asks for, else exponential
 * back-off with jitter, and never longer than the client's configured cap. Time is the injected {@link Clock}, so an
 * HTTP-date {@code Retry-After} is read against the same time as everything else.
 */
public final class RetryWaits {
    private final Duration firstBackOff;
    private final Duration maxWait;
    private final Clock clock;
    private final DoubleSupplier jitter;

    /**
     * @param firstBackOff the back-off after the first failed attempt; it doubles with each further one
     * @param maxWait the longest any single wait may be, whatever the server asks
     */
    public RetryWaits(Duration firstBackOff, Duration maxWait, Clock clock) {
        this(firstBackOff, maxWait, clock, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * How a service waits to reach MongoDB again (a worker's claim loop, a change stream, the start-up index build):
     * from a second, doubling to half a minute, jittered so services that lost the database together do not all come
     * back at the same moment.
     */
    public static RetryWaits reconnecting(Clock clock) {
        return new RetryWaits(Duration.ofSeconds(1), Duration.ofSeconds(30), clock);
    }

    /** {@code jitter} yields numbers in [0, 1); tests pass a fixed one. */
    RetryWaits(Duration firstBackOff, Duration maxWait, Clock clock, DoubleSupplier jitter) {
        if (firstBackOff.isNegative() || maxWait.isNegative()) {
            throw new IllegalArgumentException("retry waits cannot be negative: back-off " + firstBackOff
                    + ", cap " + maxWait);
        }
        this.firstBackOff = firstBackOff;
        this.maxWait = maxWait;
        this.clock = clock;
        this.jitter = jitter;
    }

    /**
     * The wait after {@code failedAttempts} failures in a row (1 after the first): the first back-off doubled per
     * further failure, then somewhere between half and all of that, so clients that failed together do not all come
     * back at the same moment; capped.
     */
    public Duration backOff(int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 30));
        Duration full = capped(multiply(firstBackOff, 1L << doublings));
        long halfNanos = full.toNanos() / 2;
        return Duration.ofNanos(halfNanos + (long) (jitter.getAsDouble() * (full.toNanos() - halfNanos)));
    }

    /** The wait after a failed attempt whose answer carried {@code retryAfter} (may be null): the server's, else back-off. */
    public Duration after(int failedAttempts, String retryAfter) {
        return RetryAfter.wait(retryAfter, clock).map(this::capped).orElseGet(() -> backOff(failedAttempts));
    }

    /** {@code wait}, or the cap when it is longer. */
    public Duration capped(Duration wait) {
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }

    private static Duration multiply(Duration duration, long factor) {
        try {
            return duration.multipliedBy(factor);
        } catch (ArithmeticException overflow) {
            return Duration.ofSeconds(Long.MAX_VALUE);
        }
    }
}
