package io.truffles.core.documents;

import java.time.Instant;

/** Every document carries when it was created and last written; every status write sets {@code updatedAt}. */
public abstract class Timestamped {
    public Instant createdAt;
    public Instant updatedAt;
}
