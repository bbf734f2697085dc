package io.truffles.poller.decode;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recording's events, de-duplicated and sorted by timestamp (ties keep their recorded order, so a Meta stays before
 * its FullSnapshot), with the lines that could not be read.
 */
public record DecodedRecording(List<RecordedEvent> events, List<LineProblem> problems, long linesRead,
        long bytesRead, int duplicatesDropped) {

    /** The window id of events from a source that names none (a bare rrweb array). */
    public static final String NO_WINDOW = "";

    public Optional<Long> firstTimestamp() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(0).timestamp());
    }

    public Optional<Long> lastTimestamp() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1).timestamp());
    }

    /** Events per browser window (tab), each list sorted; windows in the order they first appear. */
    public Map<String, List<RecordedEvent>> byWindow() {
        Map<String, List<RecordedEvent>> windows = new LinkedHashMap<>();
        for (RecordedEvent event : events) {
            String window = event.windowId() == null ? NO_WINDOW : event.windowId();
            windows.computeIfAbsent(window, key -> new java.util.ArrayList<>()).add(event);
        }
        return windows;
    }

    /** Writes the events as one JSON array, each event as stored (with its {@code windowId}), without copying them. */
    public void writeJsonArray(OutputStream out) throws IOException {
        out.write('[');
        boolean first = true;
        for (RecordedEvent event : events) {
            if (!first) {
                out.write(',');
            }
            out.write(event.json());
            first = false;
        }
        out.write(']');
    }
}
