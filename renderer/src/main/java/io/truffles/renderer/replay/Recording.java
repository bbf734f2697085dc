package io.truffles.renderer.replay;

import static io.truffles.core.rrweb.Rrweb.FULL_SNAPSHOT;
import static io.truffles.core.rrweb.Rrweb.META;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.truffles.core.json.JsonMapping;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An rrweb recording checked for what replay needs: a JSON array of events with numeric timestamps, in order, a
 * FullSnapshot to build the page from and the viewport size from the Meta event. What can be repaired is repaired and
 * named in {@link #warnings()}; what cannot throws {@link RecordingException}.
 */
public final class Recording {
    /** The viewport assumed when no Meta event says one. */
    static final int DEFAULT_WIDTH = 1280;
    static final int DEFAULT_HEIGHT = 720;
    private static final ObjectMapper JSON = JsonMapping.shared();

    private final byte[] eventsJson;
    private final long[] offsetsMs;
    private final int width;
    private final int height;
    private final List<String> warnings;

    private Recording(byte[] eventsJson, long[] offsetsMs, int width, int height, List<String> warnings) {
        this.eventsJson = eventsJson;
        this.offsetsMs = offsetsMs;
        this.width = width;
        this.height = height;
        this.warnings = warnings;
    }

    public static Recording parse(byte[] json) throws RecordingException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException malformed) {
            throw new RecordingException("rrweb-events.json is not valid JSON: " + firstLine(malformed.getMessage()));
        }
        if (root == null || !root.isArray()) {
            throw new RecordingException("rrweb-events.json must be a JSON array of rrweb events");
        }
        List<JsonNode> events = new ArrayList<>(root.size());
        int skipped = 0;
        for (JsonNode event : root) {
            if (event.isObject() && event.path("timestamp").isNumber() && event.path("type").isInt()) {
                events.add(event);
            } else {
                skipped++;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (skipped > 0) {
            warnings.add(skipped + " entries without a numeric type and timestamp were skipped");
        }
        if (events.isEmpty()) {
            throw new RecordingException("The recording has no rrweb events");
        }
        int outOfOrder = 0;
        for (int i = 1; i < events.size(); i++) {
            if (timestamp(events.get(i)) < timestamp(events.get(i - 1))) {
                outOfOrder++;
            }
        }
        if (outOfOrder > 0) {
            // A stable sort keeps events of the same millisecond in recorded order, which replay depends on.
            events.sort(Comparator.comparingLong(Recording::timestamp));
            warnings.add(outOfOrder + " events were out of timestamp order and were sorted");
        }
        int firstSnapshot = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).path("type").asInt() == FULL_SNAPSHOT) {
                firstSnapshot = i;
                break;
            }
        }
        if (firstSnapshot < 0) {
            throw new RecordingException("The recording has no FullSnapshot event (type 2), so there is no page to"
                    + " replay; the recorder started late or the first snapshot blob is missing");
        }
        // Replay starts at the Meta event before the first snapshot (or the snapshot itself): earlier incremental
        // events have no page to apply to.
        int first = firstSnapshot;
        if (first > 0 && events.get(first - 1).path("type").asInt() == META) {
            first--;
        }
        if (first > 0) {
            warnings.add(first + " events before the first FullSnapshot were dropped");
            events = new ArrayList<>(events.subList(first, events.size()));
        }
        int width = 0;
        int height = 0;
        for (JsonNode event : events) {
            if (event.path("type").asInt() == META) {
                width = event.path("data").path("width").asInt(0);
                height = event.path("data").path("height").asInt(0);
                break;
            }
        }
        if (width <= 0 || height <= 0) {
            warnings.add("No Meta event gives the viewport size; rendered at " + DEFAULT_WIDTH + "x" + DEFAULT_HEIGHT);
            width = DEFAULT_WIDTH;
            height = DEFAULT_HEIGHT;
        }
        long start = timestamp(events.get(0));
        long[] offsets = new long[events.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = timestamp(events.get(i)) - start;
        }
        if (offsets[offsets.length - 1] == 0) {
            warnings.add("The recording lasts 0 seconds; rendered as a still picture");
        }
        ArrayNode sorted = JSON.createArrayNode();
        events.forEach(sorted::add);
        try {
            return new Recording(JSON.writeValueAsBytes(sorted), offsets, width, height, List.copyOf(warnings));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : message.strip().lines().findFirst().orElse(message);
    }

    private static long timestamp(JsonNode event) {
        return event.path("timestamp").asLong();
    }

    /** The events to replay, sorted, starting at the first snapshot. */
    public byte[] eventsJson() {
        return eventsJson;
    }

    /** Each event's milliseconds from the first. */
    public long[] offsetsMs() {
        return offsetsMs.clone();
    }

    public long durationMs() {
        return offsetsMs[offsetsMs.length - 1];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public List<String> warnings() {
        return warnings;
    }
}
