package io.truffles.core.documents;

import java.time.Instant;

/** One line of an agent's streamed output, as the seed's {@code outputLog} holds them. */
public class OutputEntry {
    public Instant timestamp;
    public String phase;
    public String content;

    public OutputEntry() {
    }

    public OutputEntry(Instant timestamp, String phase, String content) {
        this.timestamp = timestamp;
        this.phase = phase;
        this.content = content;
    }
}
