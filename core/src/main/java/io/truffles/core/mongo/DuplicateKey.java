package io.truffles.core.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;

/** Recognises a unique index's refusal, which the stores' idempotent inserts and upserts take as "already there". */
public final class DuplicateKey {
    private DuplicateKey() {
    }

    /** A write error (insert, update) or a command error (find-and-modify) with the duplicate-key code. */
    public static boolean is(MongoException error) {
        if (error instanceof MongoWriteException write) {
            return write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        }
        return ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }
}
