package io.truffles.poller.posthog;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.testing.MutableClock;
import io.truffles.core.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class PollCursorTest {
    @AutoClose
    static final TestDatabase database = TestDatabase.start();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T05:00:00Z"));

    @Test
    void twoPollersOnOneProjectNeverHoldItTogether() {
        PollCursor first = new PollCursor(database.documents(), "p-lease", "poller@a:1", clock, Duration.ofMinutes(2));
        PollCursor second = new PollCursor(database.documents(), "p-lease", "poller@b:2", clock, Duration.ofMinutes(2));

        assertThat(first.acquire()).isTrue();
        assertThat(second.acquire()).isFalse();
        assertThat(first.acquire()).as("the holder renews").isTrue();

        clock.advance(Duration.ofMinutes(3));
        assertThat(second.acquire()).as("a dead holder's lease expires").isTrue();
        assertThat(first.advance(Instant.parse("2026-11-20T10:00:00Z"))).as("the old holder is fenced off").isFalse();
        assertThat(second.position()).isNull();

        second.release();
        assertThat(first.acquire()).as("released on shutdown").isTrue();
    }

    @Test
    void theCursorOnlyMovesForward() {
        PollCursor cursor = new PollCursor(database.documents(), "p-forward", "poller@a:1", clock,
                Duration.ofMinutes(2));
        cursor.acquire();
        Instant later = Instant.parse("2026-11-20T12:00:00Z");

        assertThat(cursor.advance(later)).isTrue();
        assertThat(cursor.advance(later.minusSeconds(3600))).isTrue();
        assertThat(cursor.position()).isEqualTo(later);
    }
}
