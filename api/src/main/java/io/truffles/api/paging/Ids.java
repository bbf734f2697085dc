package io.truffles.api.paging;

import io.truffles.api.errors.ApiError;
import org.bson.types.ObjectId;

/** Path and body ids: a string that is not an ObjectId names nothing that exists, so it answers 404 (or 400 in a body). */
public final class Ids {
    private Ids() {
    }

    public static ObjectId pathId(String what, String id) {
        if (id == null || !ObjectId.isValid(id)) {
            throw ApiError.notFound(what, id);
        }
        return new ObjectId(id);
    }

    public static ObjectId bodyId(String field, String id) {
        if (id == null || id.isBlank()) {
            throw ApiError.badField(field, "is required");
        }
        if (!ObjectId.isValid(id)) {
            throw ApiError.badField(field, "'" + id + "' is not an id (24 hex characters)");
        }
        return new ObjectId(id);
    }
}
