package io.truffles.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AgentStatusChange;
import io.truffles.core.documents.OutputEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Where the feed puts a status change among log entries stamped with the same writer's clock. */
class AgentFeedOrderTest {
    private static final Instant T = Instant.parse("2026-11-24T10:00:00.123Z");
    private static final AgentStatusChange TO_CODING = new AgentStatusChange(AgentStatus.coding, T);

    @Test
    void anEarlierEntryComesBeforeTheChangeAndALaterOneAfter() {
        assertThat(AgentTimeline.writtenBefore(new OutputEntry(T.minusMillis(1), "coding", "x"), TO_CODING)).isTrue();
        assertThat(AgentTimeline.writtenBefore(new OutputEntry(T.plusMillis(1), "planning", "x"), TO_CODING)).isFalse();
    }

    @Test
    void withinTheSameMillisecondTheEntrysPhaseDecides() {
        // the last line of planning, then the change to coding, then coding's first line, all in one millisecond
        assertThat(AgentTimeline.writtenBefore(new OutputEntry(T, "planning", "last plan line"), TO_CODING)).isTrue();
        assertThat(AgentTimeline.writtenBefore(new OutputEntry(T, "coding", "first code line"), TO_CODING)).isFalse();
    }

    @Test
    void withoutTimesEntriesComeFirstAsTheyWereRead() {
        assertThat(AgentTimeline.writtenBefore(new OutputEntry(null, "coding", "x"), TO_CODING)).isTrue();
        assertThat(AgentTimeline.writtenBefore(new OutputEntry(T, "coding", "x"), new AgentStatusChange(AgentStatus.done,
                null))).isTrue();
    }
}
