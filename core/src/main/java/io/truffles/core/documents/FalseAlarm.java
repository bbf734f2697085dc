package io.truffles.core.documents;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import org.bson.types.ObjectId;

/** A pattern of finding that is known not to be a real problem; screening checks new issues against these. */
@MongoEntity(collection = FalseAlarm.COLLECTION)
public class FalseAlarm {
    public static final String COLLECTION = "falseAlarms";

    public ObjectId id;
    public String pattern;
    public FalseAlarmSource source;
    /** The issue it came from, when an agent or an admin marked one. */
    public ObjectId issueId;
    public String reason;
    public Instant createdAt;
}
