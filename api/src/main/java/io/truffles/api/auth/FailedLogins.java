package io.truffles.api.auth;

import io.truffles.api.ApiConfig;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Slows down guessing: after a few wrong passwords from one address, each further attempt from it must wait, twice as
 * long after every further failure (capped). A right password clears the address's record. Kept in memory: a restart
 * forgives, which costs a guesser one restart per few attempts.
 */
@Singleton
public class FailedLogins {
    /** A quiet address is forgotten after this, so the map does not grow without bound. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final ConcurrentMap<String, Record> records = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int freeFailures;
    private final Duration backoff;
    private final Duration maxBackoff;

    FailedLogins(Clock clock, ApiConfig config) {
        this.clock = clock;
        this.freeFailures = config.freeFailures();
        this.backoff = config.failureBackoff();
        this.maxBackoff = config.maxFailureBackoff();
    }

    /** How long the address must still wait before its next attempt is even checked; empty when it may try now. */
    public Optional<Duration> waitFor(String address) {
        Record record = records.get(address);
        Instant now = clock.instant();
        if (record == null || record.blockedUntil == null || !now.isBefore(record.blockedUntil)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, record.blockedUntil));
    }

    public void failed(String address) {
        Instant now = clock.instant();
        records.values().removeIf(old -> old.lastFailure.plus(FORGET_AFTER).isBefore(now));
        records.compute(address, (key, old) -> {
            int failures = old == null ? 1 : old.failures + 1;
            Instant blockedUntil = null;
            if (failures >= freeFailures) {
                int doublings = Math.min(failures - freeFailures, 20);
                Duration wait = backoff.multipliedBy(1L << doublings);
                blockedUntil = now.plus(wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait);
            }
            return new Record(failures, now, blockedUntil);
        });
    }

    public void succeeded(String address) {
        records.remove(address);
    }

    private record Record(int failures, Instant lastFailure, Instant blockedUntil) {
    }
}
