package io.truffles.core.falsealarms;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.FalseAlarmSource;
import io.truffles.core.testing.MutableClock;
import io.truffles.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class FalseAlarmStoreTest {

    @Test
    void repeatedVerdictsLeaveOnePatternPerIssueAndSource() {
        try (TestDatabase database = TestDatabase.start()) {
            MutableClock clock = MutableClock.startingNow();
            FalseAlarmStore store = new FalseAlarmStore(database.documents(), clock);
            ObjectId issue = new ObjectId();
            var first = clock.instant();

            store.recordAdminVerdict(issue, "banner", "known");
            clock.advance(Duration.ofMinutes(1));
            store.recordAdminVerdict(issue, "banner v2", "still known");
            store.recordAgentVerdict(issue, "fp", "could not reproduce");
            store.recordAgentVerdict(issue, "fp", "could not reproduce again");

            List<FalseAlarm> alarms = database.documents().falseAlarms().find(eq("issueId", issue))
                    .into(new ArrayList<>());
            assertThat(alarms).hasSize(2);
            FalseAlarm manual = alarms.stream().filter(a -> a.source == FalseAlarmSource.manual).findFirst()
                    .orElseThrow();
            assertThat(manual.pattern).isEqualTo("banner v2");
            assertThat(manual.reason).isEqualTo("still known");
            assertThat(manual.createdAt).as("an admin's pattern keeps when it was first made").isEqualTo(first);
            FalseAlarm agent = alarms.stream().filter(a -> a.source == FalseAlarmSource.agent).findFirst()
                    .orElseThrow();
            assertThat(agent.reason).isEqualTo("could not reproduce again");
        }
    }
}
