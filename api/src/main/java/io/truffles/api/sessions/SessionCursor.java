package io.truffles.api.sessions;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import io.truffles.api.errors.ApiError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * Where a sessions list left off, in the order it was asked for: the sort, the last item's sort value and its
 * {@code _id}. A cursor of one order is refused by another, since its value means nothing there.
 */
record SessionCursor(SessionSort sort, double value, ObjectId id) {

    static SessionCursor after(SessionSort sort, SessionListItem last) {
        double value = switch (sort) {
            case newest -> last.createdAt == null ? 0 : last.createdAt.toEpochMilli();
            case longest -> last.duration == null ? 0 : last.duration;
            case errors -> last.errorCount;
        };
        return new SessionCursor(sort, value, last.id);
    }

    static SessionCursor parse(String text, SessionSort sort) {
        if (text == null || text.isBlank()) {
            return null;
        }
        SessionCursor cursor;
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(":");
            cursor = new SessionCursor(SessionSort.valueOf(parts[0]), Double.parseDouble(parts[1]),
                    new ObjectId(parts[2]));
        } catch (RuntimeException malformed) {
            throw ApiError.badField("cursor", "not a cursor this api returned");
        }
        if (cursor.sort != sort) {
            throw ApiError.badField("cursor", "belongs to the sort '" + cursor.sort + "', not '" + sort + "'");
        }
        return cursor;
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((sort + ":" + value + ":" + id.toHexString()).getBytes(StandardCharsets.UTF_8));
    }

    /** The items after this one in the list's order (descending sort value, then descending {@code _id}). */
    Bson condition() {
        Object at = sort == SessionSort.newest ? Instant.ofEpochMilli((long) value) : value;
        return or(lt(sort.field, at), and(eq(sort.field, at), lt("_id", id)));
    }
}
