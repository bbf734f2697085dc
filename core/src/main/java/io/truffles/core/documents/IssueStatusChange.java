package io.truffles.core.documents;

import com.mongodb.client.model.Updates;
import java.time.Instant;
import org.bson.conversions.Bson;

/**
 * One entry of {@link Issue#statusHistory}: a status the issue took and when, so the dashboard can show the funnel
 * (detected → screening → queued / false alarm) and how long each step took. Mirrors {@link AgentStatusChange}: a
 * writer that moves an issue through {@link #to} sets the status and appends the history in one update.
 */
public class IssueStatusChange {
    public IssueStatus status;
    public Instant at;

    public IssueStatusChange() {
    }

    public IssueStatusChange(IssueStatus status, Instant at) {
        this.status = status;
        this.at = at;
    }

    /** The update that moves an issue to {@code status} at {@code at} and records it in its history. */
    public static Bson to(IssueStatus status, Instant at) {
        return Updates.combine(Updates.set("status", status.name()),
                Updates.push("statusHistory", new IssueStatusChange(status, at)),
                Updates.set("updatedAt", at));
    }
}
