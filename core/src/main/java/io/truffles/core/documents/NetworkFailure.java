package io.truffles.core.documents;

import java.time.Instant;

/** A request that failed ({@code rrweb/network@1}: status 400 or more, or no response). Headers are redacted before storing. */
public class NetworkFailure {
    public String method;
    public String url;
    /** HTTP status; 0 when the request never got a response. */
    public int status;
    public Double durationMs;
    /** Why it failed when there was no response (blocked, timeout, DNS). */
    public String error;
    /** Seconds from the start of the recording. */
    public double offsetSeconds;
    public Instant time;
}
