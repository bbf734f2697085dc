package io.truffles.core.documents;

import java.time.Instant;
import org.bson.types.ObjectId;

/** One session in which a problem showed; an issue is the problem, its occurrences say who it hurt. */
public class Occurrence {
    public ObjectId sessionId;
    public String userId;
    /** Seconds into that session's video. */
    public Double timestamp;
    public Instant seenAt;
}
