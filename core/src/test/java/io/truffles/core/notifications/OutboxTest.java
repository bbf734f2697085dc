package io.truffles.core.notifications;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.truffles.core.testing.TestDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Map;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private static final Instant AT = Instant.parse("2026-12-07T02:00:00Z");
    @AutoClose
    private static final TestDatabase database = TestDatabase.start();
    private static final MongoCollection<Document> issues =
            database.documents().database().getCollection("outboxTest");

    @Test
    void anEntryIsWrittenInTheSameUpdateAsTheChangeAndReadBackWithItsKey() {
        ObjectId id = new ObjectId();
        issues.insertOne(new Document("_id", id).append("severity", "yellow"));

        issues.updateOne(eq("_id", id), Updates.combine(Updates.set("severity", "red"),
                Outbox.add(OutboxEntry.of(NotificationEvent.ISSUE_RED, id.toHexString(), AT, Map.of("users", 3)))));

        Document issue = issues.find(Outbox.PENDING).first();
        assertThat(issue).isNotNull();
        assertThat(issue.getString("severity")).isEqualTo("red");
        assertThat(Outbox.entries(issue)).singleElement().satisfies(entry -> {
            assertThat(entry.key()).isEqualTo("issue.red:" + id.toHexString());
            assertThat(entry.event()).isEqualTo(NotificationEvent.ISSUE_RED);
            assertThat(entry.at()).isEqualTo(AT.truncatedTo(ChronoUnit.MILLIS));
            assertThat(entry.facts()).containsEntry("users", 3);
        });
    }

    @Test
    void eventsASubjectHasSeveralTimesAreToldApartByTheirDetailAndRemovedOneByOne() {
        ObjectId id = new ObjectId();
        String subject = id.toHexString();
        issues.insertOne(new Document("_id", id));
        issues.updateOne(eq("_id", id), Outbox.add(
                OutboxEntry.of(NotificationEvent.ISSUE_USERS, subject, "10", AT, Map.of("threshold", 10))));
        issues.updateOne(eq("_id", id), Outbox.add(
                OutboxEntry.of(NotificationEvent.ISSUE_USERS, subject, "100", AT, Map.of("threshold", 100))));

        issues.updateOne(eq("_id", id), Outbox.remove("issue.users:" + subject + ":10"));
        issues.updateOne(eq("_id", id), Outbox.remove("issue.users:" + subject + ":10"));

        assertThat(Outbox.entries(issues.find(eq("_id", id)).first())).extracting(OutboxEntry::key)
                .containsExactly("issue.users:" + subject + ":100");
        issues.updateOne(eq("_id", id), Outbox.remove("issue.users:" + subject + ":100"));
        assertThat(issues.find(Filters.and(eq("_id", id), Outbox.PENDING)).first()).isNull();
    }

    @Test
    void theRelaysLookIsIndexedOnEverySubjectCollectionAndEnsuringTwiceIsHarmless() {
        NotificationIndexes.ensure(database.documents());
        NotificationIndexes.ensure(database.documents());

        for (String subject : Outbox.SUBJECTS) {
            assertThat(database.documents().database().getCollection(subject).listIndexes().into(new ArrayList<>()))
                    .extracting(index -> index.getString("name")).contains("outbox_waiting");
        }
        ObjectId id = new ObjectId();
        MongoCollection<Document> agents = database.documents().database().getCollection("agentSessions");
        agents.insertOne(new Document("_id", id).append(Outbox.FIELD, new ArrayList<>()));
        assertThat(agents.find(Filters.and(eq("_id", id), Outbox.PENDING)).first()).isNull();
        agents.updateOne(eq("_id", id), Outbox.add(OutboxEntry.of(NotificationEvent.AGENT_FAILED, id.toHexString(),
                AT, Map.of())));
        assertThat(agents.find(Filters.and(eq("_id", id), Outbox.PENDING)).first()).isNotNull();
    }

    @Test
    void theWireNamesAreTheOnesTheApiAndReceiversUse() {
        assertThat(NotificationEvent.values()).extracting(NotificationEvent::wireName).containsExactly("issue.red",
                "issue.users", "pr.opened", "pr.merged", "agent.failed", "budget.warning", "budget.reached");
        assertThat(NotificationEvent.fromWireName("pr.merged")).contains(NotificationEvent.PR_MERGED);
        assertThat(NotificationEvent.fromWireName("pr.closed")).isEmpty();
    }
}
