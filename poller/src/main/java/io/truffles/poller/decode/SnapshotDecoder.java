package io.truffles.poller.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a recording in any of the layouts it arrives in and returns its events ready to store:
 * <ul>
 * <li>PostHog JSONL, one {@code [windowId, event]} per line (blob_v2);</li>
 * <li>older PostHog JSONL, {@code {"window_id"|"windowId": ..., "data": [event, ...]}} per line, or a bare event
 * carrying {@code windowId};</li>
 * <li>a JSON array of rrweb events, as rrweb's recorder hands them out (the inbox).</li>
 * </ul>
 * Events compressed with {@code cv 2024-10} are decompressed; unknown {@code cv} values and unknown event types are
 * kept as they are. The input is read once, one line (or one event) at a time; each event is held only as its compact
 * JSON bytes.
 */
public final class SnapshotDecoder {
    private static final int MAX_PROBLEMS_KEPT = 100;

    private final ObjectMapper json;
    private final PartialCompression compression;

    public SnapshotDecoder(ObjectMapper json) {
        this.json = json;
        this.compression = new PartialCompression(json);
    }

    public DecodedRecording decode(InputStream input, EventObserver observer) throws IOException {
        Accumulator accumulator = new Accumulator(observer);
        CountingInputStream counted = new CountingInputStream(input);
        BufferedReader reader = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8), 1 << 16);
        if (looksLikeEventArray(reader)) {
            readEventArray(reader, accumulator);
        } else {
            readLines(reader, accumulator);
        }
        return accumulator.finish(counted.count());
    }

    /** {@code [ {` or `[ ]} starts an array of events; {@code [ "} starts a JSONL line of the blob_v2 layout. */
    private static boolean looksLikeEventArray(BufferedReader reader) throws IOException {
        reader.mark(1 << 16);
        try {
            int first = nextSignificant(reader);
            if (first != '[') {
                return false;
            }
            int second = nextSignificant(reader);
            return second == '{' || second == ']';
        } finally {
            reader.reset();
        }
    }

    private static int nextSignificant(BufferedReader reader) throws IOException {
        int c = reader.read();
        while (c != -1 && Character.isWhitespace(c)) {
            c = reader.read();
        }
        return c;
    }

    private void readLines(BufferedReader reader, Accumulator accumulator) throws IOException {
        long lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            accumulator.lines = lineNumber;
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (JsonProcessingException malformed) {
                accumulator.problem(lineNumber, "not JSON (" + malformed.getOriginalMessage() + ")");
                continue;
            }
            readLine(node, lineNumber, accumulator);
        }
    }

    private void readLine(JsonNode node, long lineNumber, Accumulator accumulator) {
        if (node.isArray() && node.size() == 2 && node.get(0).isTextual() && node.get(1).isObject()) {
            accept((ObjectNode) node.get(1), node.get(0).asText(), lineNumber, accumulator);
        } else if (node.isObject() && node.path("data").isArray()
                && (node.has("window_id") || node.has("windowId"))) {
            String window = node.has("window_id") ? node.get("window_id").asText(null)
                    : node.get("windowId").asText(null);
            for (JsonNode event : node.get("data")) {
                if (event.isObject()) {
                    accept((ObjectNode) event, window, lineNumber, accumulator);
                } else {
                    accumulator.problem(lineNumber, "an entry of data is not an event object");
                }
            }
        } else if (node.isObject() && node.has("type")) {
            accept((ObjectNode) node, node.path("windowId").asText(null), lineNumber, accumulator);
        } else {
            accumulator.problem(lineNumber,
                    "neither [windowId, event] nor {window_id, data: [...]} nor an event");
        }
    }

    private void readEventArray(BufferedReader reader, Accumulator accumulator) throws IOException {
        try (JsonParser parser = json.getFactory().createParser(reader)) {
            parser.nextToken(); // the opening bracket
            for (JsonToken token = parser.nextToken(); token != null && token != JsonToken.END_ARRAY;
                    token = parser.nextToken()) {
                long lineNumber = parser.currentLocation().getLineNr();
                accumulator.lines = lineNumber;
                JsonNode event = parser.readValueAsTree();
                if (event != null && event.isObject()) {
                    accept((ObjectNode) event, event.path("windowId").asText(null), lineNumber, accumulator);
                } else {
                    accumulator.problem(lineNumber, "an entry of the array is not an event object");
                }
            }
        } catch (JsonProcessingException malformed) {
            // an array cannot be resynchronised after a syntax error: keep what came before it
            accumulator.problem(malformed.getLocation() == null ? accumulator.lines
                    : malformed.getLocation().getLineNr(),
                    "not JSON (" + malformed.getOriginalMessage() + "); the rest of the file is skipped");
        }
    }

    private void accept(ObjectNode event, String windowId, long lineNumber, Accumulator accumulator) {
        JsonNode timestamp = event.get("timestamp");
        if (timestamp == null || !timestamp.isNumber()) {
            accumulator.problem(lineNumber, "event without a numeric timestamp");
            return;
        }
        if (PartialCompression.isKnownCompressed(event)) {
            try {
                compression.decompress(event);
            } catch (IOException | RuntimeException broken) {
                // kept compressed: a replayer cannot use it, but dropping it would hide that the recording is damaged
                accumulator.problem(lineNumber, "compressed event could not be decompressed (" + broken.getMessage()
                        + "); kept as it was");
            }
        }
        if (windowId != null && !event.has("windowId")) {
            event.put("windowId", windowId);
        }
        long time = timestamp.asLong();
        try {
            byte[] bytes = json.writeValueAsBytes(event);
            byte[] identity = bytes;
            if (event.has("delay")) {
                // PostHog de-duplicates on everything except the replayer's own delay field
                JsonNode delay = event.remove("delay");
                identity = json.writeValueAsBytes(event);
                event.set("delay", delay);
            }
            if (!accumulator.firstTime(time, identity)) {
                return;
            }
            if (accumulator.observer.observe(event, windowId, time)) {
                bytes = json.writeValueAsBytes(event);
            }
            accumulator.events.add(new RecordedEvent(time, windowId, event.path("type").asInt(-1), bytes));
        } catch (JsonProcessingException impossible) {
            accumulator.problem(lineNumber, "event could not be serialized (" + impossible.getMessage() + ")");
        }
    }

    private static final class Accumulator {
        final EventObserver observer;
        final List<RecordedEvent> events = new ArrayList<>();
        final Set<Identity> seen = new HashSet<>();
        final List<LineProblem> problems = new ArrayList<>();
        long lines;
        int duplicates;
        int problemsNotKept;

        Accumulator(EventObserver observer) {
            this.observer = observer;
        }

        /** Whether this event (timestamp and content) is new; counts it as a duplicate otherwise. */
        boolean firstTime(long timestamp, byte[] identity) {
            if (seen.add(new Identity(timestamp, identity))) {
                return true;
            }
            duplicates++;
            return false;
        }

        void problem(long line, String reason) {
            if (problems.size() < MAX_PROBLEMS_KEPT) {
                problems.add(new LineProblem(line, reason));
            } else {
                problemsNotKept++;
            }
        }

        DecodedRecording finish(long bytes) {
            if (problemsNotKept > 0) {
                problems.add(new LineProblem(lines, problemsNotKept + " more problems not listed"));
            }
            // List.sort is stable: events of the same millisecond keep their recorded order
            events.sort(Comparator.comparingLong(RecordedEvent::timestamp));
            return new DecodedRecording(List.copyOf(events), List.copyOf(problems), lines, bytes, duplicates);
        }
    }

    /** Equality on the timestamp and the exact JSON, hashed once. */
    private static final class Identity {
        final long timestamp;
        final byte[] json;
        final int hash;

        Identity(long timestamp, byte[] json) {
            this.timestamp = timestamp;
            this.json = json;
            this.hash = 31 * Long.hashCode(timestamp) + Arrays.hashCode(json);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Identity that && that.timestamp == timestamp && Arrays.equals(that.json, json);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Counts bytes read, for throughput figures. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
