package io.truffles.api.paging;

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
 * Where a descending list left off: the sort value and the {@code _id} of the last item, so paging stays exact while
 * new documents arrive (they sort before the cursor) and ties on the sort value are broken by {@code _id}.
 */
public record Cursor(long value, ObjectId id) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public static Cursor parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return new Cursor(Long.parseLong(decoded.substring(0, colon)), new ObjectId(decoded.substring(colon + 1)));
        } catch (RuntimeException malformed) {
            throw ApiError.badField("cursor", "not a cursor this api returned");
        }
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((value + ":" + id.toHexString()).getBytes(StandardCharsets.UTF_8));
    }

    /** Documents after this cursor in a list sorted by {@code field} descending (a date), then {@code _id} descending. */
    public Bson afterDate(String field) {
        Instant at = Instant.ofEpochMilli(value);
        return or(lt(field, at), and(eq(field, at), lt("_id", id)));
    }

    /** As {@link #afterDate} for a numeric sort field. */
    public Bson afterNumber(String field) {
        return or(lt(field, value), and(eq(field, value), lt("_id", id)));
    }

    public static int limit(String requested) {
        return QueryParams.integer("limit", requested, DEFAULT_LIMIT, 1, MAX_LIMIT);
    }
}
