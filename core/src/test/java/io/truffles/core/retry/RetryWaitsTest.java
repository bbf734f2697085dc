package io.truffles.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.queue.Doorbell;
import io.truffles.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryWaitsTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T14:00:00Z"));

    @Test
    void retryAfterInSecondsIsCountedFromTheClock() {
        assertThat(RetryAfter.wait(" 90 ", clock)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.until("90", clock)).contains(Instant.parse("2026-12-07T14:01:30Z"));
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeLeftUntilItOnTheClock() {
        assertThat(RetryAfter.wait("Mon, 07 Dec 2026 14:02:00 GMT", clock)).contains(Duration.ofMinutes(2));

        clock.advance(Duration.ofMinutes(5));

        // a date already past asks for no wait at all
        assertThat(RetryAfter.wait("Mon, 07 Dec 2026 14:02:00 GMT", clock)).contains(Duration.ZERO);
    }

    @Test
    void aMissingOrUnreadableRetryAfterIsNoAnswer() {
        assertThat(RetryAfter.wait(null, clock)).isEmpty();
        assertThat(RetryAfter.wait("  ", clock)).isEmpty();
        assertThat(RetryAfter.wait("soon", clock)).isEmpty();
        assertThat(RetryAfter.wait("-5", clock)).isEmpty();
        assertThat(RetryAfter.wait("2026-12-07T14:02:00Z", clock)).isEmpty();
    }

    @Test
    void theServersWaitIsTakenButNeverBeyondTheCap() {
        RetryWaits waits = new RetryWaits(Duration.ofSeconds(1), Duration.ofMinutes(2), clock, () -> 0.5);

        assertThat(waits.after(1, "7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(waits.after(1, "3600")).isEqualTo(Duration.ofMinutes(2));
        assertThat(waits.after(1, "99999999999999999999")).isEqualTo(Duration.ofMinutes(2));
        assertThat(waits.after(1, "Tue, 08 Dec 2026 14:00:00 GMT")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void backOffDoublesPerFailureWithJitterBetweenHalfAndAllOfItAndStopsAtTheCap() {
        RetryWaits least = new RetryWaits(Duration.ofSeconds(2), Duration.ofSeconds(30), clock, () -> 0.0);
        RetryWaits most = new RetryWaits(Duration.ofSeconds(2), Duration.ofSeconds(30), clock, () -> 0.999999);

        assertThat(least.backOff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(most.backOff(1)).isBetween(Duration.ofMillis(1999), Duration.ofSeconds(2));
        assertThat(least.backOff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(most.backOff(3)).isBetween(Duration.ofMillis(7999), Duration.ofSeconds(8));
        assertThat(least.backOff(10)).isEqualTo(Duration.ofSeconds(15));
        assertThat(most.backOff(100)).isBetween(Duration.ofMillis(29_999), Duration.ofSeconds(30));
        // garbage in the header falls back to back-off
        assertThat(least.after(3, "later please")).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void reconnectingToMongoDbWaitsUpToASecondFirstAndNeverMoreThanHalfAMinute() {
        RetryWaits reconnect = RetryWaits.reconnecting(clock);

        assertThat(reconnect.backOff(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(reconnect.backOff(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(reconnect.backOff(50)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
    }

    @Test
    void aPauseUntilRungEndsWhenTheBellRings() throws Exception {
        Doorbell stop = new Doorbell();
        Pause pause = Pause.untilRung(stop);
        CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
            try {
                pause.pause(Duration.ofHours(1));
                return null;
            } catch (InterruptedException stopped) {
                return stopped;
            }
        });

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            stop.ring();
            assertThat(ended).isDone();
        });

        assertThat(ended.get(1, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }
}
