package io.truffles.core.documents;

import com.mongodb.client.model.Updates;
import java.time.Instant;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * One entry of {@link AgentSession#statusHistory}: a status the agent took and when. The api's live feed reads the
 * history, so two changes between its reads are both shown; a writer that sets {@code status} through {@link #to}
 * keeps the history complete (status and history in one update, so they never disagree).
 */
public class AgentStatusChange {
    public AgentStatus status;
    public Instant at;

    public AgentStatusChange() {
    }

    public AgentStatusChange(AgentStatus status, Instant at) {
        this.status = status;
        this.at = at;
    }

    /** A history entry as stored, for writers that know the status only by its stored name (the job queue). */
    public static Document entry(String status, Instant at) {
        return new Document("status", status).append("at", at);
    }

    /** The update that moves an agent to {@code status} at {@code at} and records it in its history. */
    public static Bson to(AgentStatus status, Instant at) {
        return Updates.combine(Updates.set("status", status.name()),
                Updates.push("statusHistory", new AgentStatusChange(status, at)),
                Updates.set("updatedAt", at));
    }
}
