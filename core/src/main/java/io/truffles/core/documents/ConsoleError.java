package io.truffles.core.documents;

import java.time.Instant;

/** A console error the recorder captured ({@code rrweb/console@1}, level error). */
public class ConsoleError {
    public String message;
    public String stack;
    /** The page the error happened on. */
    public String url;
    /** Seconds from the start of the recording. */
    public double offsetSeconds;
    public Instant time;
}
