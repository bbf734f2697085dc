package io.truffles.core.documents;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import java.util.Collection;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * What became of a store's request to move a document to another status: moved, or refused because the document is
 * in a status the move does not start from (or is not there at all). The update's filter names the allowed
 * from-statuses, so a refusal costs one write that matched nothing, and concurrent moves cannot both win.
 *
 * @param found the status the document had when the move was refused; {@code null} when it moved or does not exist
 */
public record Move(String collection, ObjectId id, String to, boolean moved, boolean exists, String found) {

    /**
     * Moves {@code id} to {@code to} with {@code update} (which sets the status) when its status is one of
     * {@code from} and {@code more} matches too.
     */
    public static Move apply(MongoCollection<?> documents, ObjectId id, Collection<? extends Enum<?>> from,
            Enum<?> to, Bson more, Bson update) {
        Bson allowed = and(eq("_id", id), in("status", from.stream().map(Enum::name).toList()), more);
        if (documents.updateOne(allowed, update).getMatchedCount() == 1) {
            return new Move(documents.getNamespace().getCollectionName(), id, to.name(), true, true, null);
        }
        Document now = documents.withDocumentClass(Document.class).find(eq("_id", id))
                .projection(Projections.include("status")).first();
        return new Move(documents.getNamespace().getCollectionName(), id, to.name(), false, now != null,
                now == null ? null : now.getString("status"));
    }

    /** For the log or an error response: why the move did not happen. */
    public String refusal() {
        if (moved) {
            return collection + " " + id + " moved to " + to;
        }
        return exists ? collection + " " + id + " is " + found + ": it does not move to " + to + " from there"
                : collection + " " + id + " does not exist";
    }
}
