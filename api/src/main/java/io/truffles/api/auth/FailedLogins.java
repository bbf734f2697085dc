package io.truffles.api.auth;

import io.truffles.api.ApiConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down guessing: after a few wrong passwords from one address, each further attempt from it must wait, twice as
 * long after every further failure (capped). A right password clears the address's record. Kept in memory: a restart
 * forgives, which costs a guesser one restart per few attempts.
 *
 * <p>Bounded: records sit in the order of their last failure, so a quiet address (an hour without failing) is
 * forgotten from the head in O(1), and beyond {@code maxAddresses} the least recently failing one is dropped. A
 * guesser spraying from very many addresses can so push an old record out — it then starts over with its free
 * failures, which is the price of a memory bound; its newest addresses are still the ones slowed down.
 */
@Singleton
public class FailedLogins {
    /** A quiet address is forgotten after this. */
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    /** Ordered by last failure, oldest first: a failing address is removed and put again at the tail. */
    private final LinkedHashMap<String, Record> records = new LinkedHashMap<>();
    private final Clock clock;
    private final int freeFailures;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final int maxAddresses;

    @Inject
    FailedLogins(Clock clock, ApiConfig config) {
        this(clock, config.freeFailures(), config.failureBackoff(), config.maxFailureBackoff(),
                config.maxTrackedAddresses());
    }

    FailedLogins(Clock clock, int freeFailures, Duration backoff, Duration maxBackoff, int maxAddresses) {
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("maxAddresses must be at least 1, was " + maxAddresses);
        }
        this.clock = clock;
        this.freeFailures = freeFailures;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
        this.maxAddresses = maxAddresses;
    }

    /** How long the address must still wait before its next attempt is even checked; empty when it may try now. */
    public synchronized Optional<Duration> waitFor(String address) {
        Instant now = clock.instant();
        forgetQuiet(now);
        Record record = records.get(address);
        if (record == null || record.blockedUntil == null || !now.isBefore(record.blockedUntil)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, record.blockedUntil));
    }

    public synchronized void failed(String address) {
        Instant now = clock.instant();
        forgetQuiet(now);
        Record old = records.remove(address);
        int failures = old == null ? 1 : old.failures + 1;
        Instant blockedUntil = null;
        if (failures >= freeFailures) {
            int doublings = Math.min(failures - freeFailures, 20);
            Duration wait = backoff.multipliedBy(1L << doublings);
            blockedUntil = now.plus(wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait);
        }
        records.put(address, new Record(failures, now, blockedUntil));
        Iterator<String> oldest = records.keySet().iterator();
        while (records.size() > maxAddresses) {
            oldest.next();
            oldest.remove();
        }
    }

    public synchronized void succeeded(String address) {
        records.remove(address);
    }

    /** Addresses remembered now (for the bound's test and the metrics). */
    public synchronized int tracked() {
        return records.size();
    }

    /** Drops records from the head while their last failure is over an hour old; the rest are newer. */
    private void forgetQuiet(Instant now) {
        Iterator<Map.Entry<String, Record>> oldest = records.entrySet().iterator();
        while (oldest.hasNext()) {
            Record record = oldest.next().getValue();
            // a record still blocking is kept even when quiet, so a long maximum back-off is honoured
            boolean blocking = record.blockedUntil != null && now.isBefore(record.blockedUntil);
            if (blocking || !record.lastFailure.plus(FORGET_AFTER).isBefore(now)) {
                return;
            }
            oldest.remove();
        }
    }

    private record Record(int failures, Instant lastFailure, Instant blockedUntil) {
    }
}
