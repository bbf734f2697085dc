package io.truffles.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailedLoginsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T06:00:00Z"));

    @Test
    void manyGuessingAddressesNeverGrowTheRecordsBeyondTheBound() {
        FailedLogins logins = new FailedLogins(clock, 3, Duration.ofSeconds(1), Duration.ofMinutes(5), 1_000);
        for (int i = 0; i < 50_000; i++) {
            logins.failed("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
            assertThat(logins.tracked()).isLessThanOrEqualTo(1_000);
        }
        assertThat(logins.tracked()).isEqualTo(1_000);
    }

    @Test
    void theLeastRecentlyFailingAddressIsForgottenFirstAndAKeptOneStaysSlowedDown() {
        FailedLogins logins = new FailedLogins(clock, 2, Duration.ofSeconds(10), Duration.ofMinutes(5), 3);
        logins.failed("guesser");
        logins.failed("a");
        logins.failed("b");
        logins.failed("guesser"); // its second failure moves it to the newest end and blocks it
        logins.failed("c"); // over the bound: "a", the least recently failing, goes
        assertThat(logins.tracked()).isEqualTo(3);
        assertThat(logins.waitFor("guesser")).contains(Duration.ofSeconds(10));
        logins.failed("a"); // forgotten: its first failure again, free
        assertThat(logins.waitFor("a")).isEmpty();
        // "b" was the oldest now and went; "guesser" still waits
        assertThat(logins.waitFor("guesser")).isPresent();
    }

    @Test
    void anAddressQuietForAnHourIsForgottenWithoutAnyBound() {
        FailedLogins logins = new FailedLogins(clock, 3, Duration.ofSeconds(1), Duration.ofMinutes(5), 10_000);
        for (int i = 0; i < 100; i++) {
            logins.failed("192.0.2." + i);
        }
        clock.advance(FailedLogins.FORGET_AFTER.plusSeconds(1));
        logins.failed("198.51.100.1");
        assertThat(logins.tracked()).isEqualTo(1);
    }

    @Test
    void waitsDoubleAfterTheFreeFailuresUpToTheMaximumAndASuccessClearsThem() {
        FailedLogins logins = new FailedLogins(clock, 3, Duration.ofSeconds(1), Duration.ofSeconds(5), 100);
        logins.failed("x");
        logins.failed("x");
        assertThat(logins.waitFor("x")).isEmpty();
        logins.failed("x");
        assertThat(logins.waitFor("x")).contains(Duration.ofSeconds(1));
        logins.failed("x");
        assertThat(logins.waitFor("x")).contains(Duration.ofSeconds(2));
        logins.failed("x");
        logins.failed("x");
        assertThat(logins.waitFor("x")).contains(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(5));
        assertThat(logins.waitFor("x")).isEmpty();
        logins.succeeded("x");
        logins.failed("x");
        assertThat(logins.waitFor("x")).isEmpty();
    }
}
