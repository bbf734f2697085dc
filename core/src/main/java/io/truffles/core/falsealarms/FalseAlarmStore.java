package io.truffles.core.falsealarms;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.FalseAlarmSource;
import io.truffles.core.mongo.Documents;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.bson.types.ObjectId;

/**
 * The false-alarm patterns an issue's verdict adds (falseAlarms have no status). Each verdict is keyed on the issue and
 * who gave it, so repeating one — a retried agent, an admin's second click, a retry after a crash — leaves one pattern.
 */
@Singleton
public class FalseAlarmStore implements PanacheMongoRepositoryBase<FalseAlarm, ObjectId> {
    private final MongoCollection<FalseAlarm> alarms;
    private final Clock clock;

    public FalseAlarmStore(Documents documents, Clock clock) {
        this.alarms = documents.falseAlarms();
        this.clock = clock;
    }

    /** An admin's pattern, inserted as it is ({@code id} and {@code createdAt} set by the caller). */
    public void add(FalseAlarm alarm) {
        alarms.insertOne(alarm);
    }

    /** The agent could not reproduce the issue: its pattern joins falseAlarms with the agent's reason. */
    public void recordAgentVerdict(ObjectId issueId, String pattern, String reason) {
        alarms.updateOne(and(eq("issueId", issueId), eq("source", FalseAlarmSource.agent.name())),
                Updates.combine(Updates.set("pattern", pattern), Updates.set("reason", reason),
                        Updates.set("createdAt", clock.instant())),
                new UpdateOptions().upsert(true));
    }

    /** An admin marked the issue a false alarm: the pattern joins falseAlarms, created once and then updated. */
    public void recordAdminVerdict(ObjectId issueId, String pattern, String reason) {
        alarms.updateOne(and(eq("issueId", issueId), eq("source", FalseAlarmSource.manual.name())),
                Updates.combine(Updates.set("pattern", pattern), Updates.set("reason", reason),
                        Updates.setOnInsert("createdAt", clock.instant())),
                new UpdateOptions().upsert(true));
    }
}
