package io.truffles.core.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import java.util.List;
import org.bson.Document;

/**
 * Tells a production MongoDB (6.0 or later) from the embedded server, which reports itself as 4.2 (core's
 * EmbeddedMongo): the two differ in what is cheap. On the embedded server every change-stream poll scans and sorts the
 * whole oplog (every write since it started), and partial indexes are not honoured.
 */
public final class MongoServerKind {
    private MongoServerKind() {
    }

    public static boolean isMongoDb6OrLater(MongoDatabase database) {
        Document info = database.runCommand(new Document("buildInfo", 1));
        Object versions = info.get("versionArray");
        if (versions instanceof List<?> parts && !parts.isEmpty() && parts.get(0) instanceof Number major) {
            return major.intValue() >= 6;
        }
        return false;
    }

    /**
     * Whether changes are worth following with change streams here: on MongoDB 6+, and when the server cannot say
     * (a reader must not fall back to the embedded server's fast polling against a production database).
     */
    public static boolean followsChangeStreams(MongoDatabase database) {
        try {
            return isMongoDb6OrLater(database);
        } catch (MongoException unknown) {
            return true;
        }
    }
}
