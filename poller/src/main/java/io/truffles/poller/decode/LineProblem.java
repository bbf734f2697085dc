package io.truffles.poller.decode;

/** A line of a recording that could not be read; the rest of the recording is kept. */
public record LineProblem(long lineNumber, String reason) {
    @Override
    public String toString() {
        return "line " + lineNumber + ": " + reason;
    }
}
