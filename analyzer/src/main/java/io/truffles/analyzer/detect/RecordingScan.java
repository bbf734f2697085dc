package io.truffles.analyzer.detect;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the detectors that read the recording itself (rage clicks, dead clicks, error pages) in one pass over its
 * events, each window on its own page model. Streams the events: a long recording is never held in memory whole.
 */
public final class RecordingScan {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long startedAt;
    private final Map<String, WindowScan> windows = new LinkedHashMap<>();
    private long lastTimestamp;

    private final class WindowScan {
        final DomIndex dom = new DomIndex();
        final RageClickDetector rage = new RageClickDetector(startedAt);
        final DeadClickDetector dead = new DeadClickDetector(startedAt);
        final ErrorPageDetector errorPage = new ErrorPageDetector(startedAt);

        void onEvent(RecordedEvent event) {
            dom.onEvent(event);
            dead.onEvent(event, dom);
            errorPage.onEvent(event, dom);
            if (event.isNavigation()) {
                rage.onNavigation();
            } else if (event.isClick()) {
                rage.onClick(event, dom);
            }
        }

        List<Finding> finish() {
            List<Finding> found = new ArrayList<>(rage.finish());
            found.addAll(dead.finish(lastTimestamp, rage::isPartOfRage));
            found.addAll(errorPage.finish());
            return found;
        }
    }

    /** @param startedAt the recording's start (epoch ms): findings' offsets are measured from it */
    public RecordingScan(long startedAt) {
        this.startedAt = startedAt;
    }

    public void accept(JsonNode event) {
        RecordedEvent recorded = RecordedEvent.of(event);
        lastTimestamp = Math.max(lastTimestamp, recorded.timestamp());
        windows.computeIfAbsent(recorded.windowId(), ignored -> new WindowScan()).onEvent(recorded);
    }

    /** Every finding, in session-time order. */
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>();
        windows.values().forEach(window -> all.addAll(window.finish()));
        all.sort(Comparator.comparingDouble(Finding::offsetSeconds));
        return all;
    }

    /**
     * Scans {@code rrweb-events.json} (a JSON array of events sorted by timestamp) from a stream; the recording's
     * start is its first event.
     */
    public static List<Finding> scan(InputStream events) throws IOException {
        try (JsonParser parser = JSON.getFactory().createParser(events)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new JsonParseException(parser, "rrweb-events.json is not a JSON array of events");
            }
            RecordingScan scan = null;
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode event = JSON.readTree(parser);
                if (scan == null) {
                    scan = new RecordingScan(event.path("timestamp").asLong());
                }
                scan.accept(event);
            }
            return scan == null ? List.of() : scan.findings();
        }
    }
}
