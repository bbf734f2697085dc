package io.truffles.core.notifications;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.ModelSpend;
import io.truffles.core.documents.MonthlySpend;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The outbox field every notifiable document may carry ({@code issues}, {@code agentSessions}, the day's spend). A
 * writer adds {@link #add} to the update that makes the change ({@code Updates.combine(change, Outbox.add(entry))}),
 * so a crash cannot keep one without the other; the relay reads {@link #PENDING} documents and, once an entry is in
 * {@code notifications}, {@link #remove}s it.
 */
public final class Outbox {
    /** The array on the subject document. */
    public static final String FIELD = "outbox";
    /**
     * The collections whose documents may carry an outbox, which the relay reads: issues, agents, the day's spend
     * (daily budget events) and the month's (monthly budget events). A writer that files entries on another
     * collection adds it here.
     */
    public static final List<String> SUBJECTS = List.of(Issue.COLLECTION, AgentSession.COLLECTION,
            ModelSpend.COLLECTION, MonthlySpend.COLLECTION);
    /** Documents with an entry waiting (a filter a partial index can serve: see {@link NotificationIndexes}). */
    public static final Bson PENDING = Filters.exists(FIELD + ".key");

    private Outbox() {
    }

    /** The update part that files the entry; {@code $push}, so several events may wait on one document. */
    public static Bson add(OutboxEntry entry) {
        return Updates.push(FIELD, entry.toDocument());
    }

    /** The update part that takes a relayed entry off the document, by its key (a second remove is a no-op). */
    public static Bson remove(String key) {
        return Updates.pull(FIELD, new Document("key", key));
    }

    /** The entries waiting on a document read raw. */
    public static List<OutboxEntry> entries(Document subject) {
        List<Document> entries = subject.getList(FIELD, Document.class);
        return entries == null ? List.of() : entries.stream().map(OutboxEntry::fromDocument).toList();
    }
}
