package io.truffles.renderer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * Long sessions for the benchmark, built on the page of the real test recording (its Meta and FullSnapshot): while
 * active, every 100 ms the user moves the mouse, types into the search box, and scrolls or clicks every second.
 */
final class SyntheticSessions {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The search input's node id in the test recording's snapshot. */
    private static final int SEARCH_INPUT = 27;

    private SyntheticSessions() {
    }

    /**
     * @param durationMs session length
     * @param activeMs   each cycle starts with this much activity...
     * @param cycleMs    ...and is idle for the rest of the cycle ({@code activeMs == cycleMs}: always active)
     */
    static byte[] session(long durationMs, long activeMs, long cycleMs) throws IOException {
        JsonNode recording;
        try (InputStream in = SyntheticSessions.class.getResourceAsStream("/recordings/form-modal-idle.json")) {
            recording = JSON.readTree(in);
        }
        long start = 1_700_000_000_000L;
        ArrayNode events = JSON.createArrayNode();
        ObjectNode meta = recording.get(0).deepCopy();
        meta.put("timestamp", start);
        ObjectNode full = recording.get(1).deepCopy();
        full.put("timestamp", start);
        events.add(meta);
        events.add(full);
        int step = 0;
        for (long t = 100; t <= durationMs; t += 100) {
            if (t % cycleMs > activeMs) {
                continue;
            }
            step++;
            long at = start + t;
            int x = 100 + (step * 37) % 1000;
            int y = 100 + (step * 23) % 500;
            ObjectNode move = event(at, 1);
            ArrayNode positions = ((ObjectNode) move.get("data")).putArray("positions");
            positions.addObject().put("x", x).put("y", y).put("id", 3).put("timeOffset", -50);
            events.add(move);
            ObjectNode input = event(at, 5);
            ((ObjectNode) input.get("data")).put("text", "truffle " + step).put("isChecked", false)
                    .put("id", SEARCH_INPUT);
            events.add(input);
            if (step % 10 == 0) {
                ObjectNode scroll = event(at, 3);
                ((ObjectNode) scroll.get("data")).put("id", 1).put("x", 0).put("y", (step / 10) % 2 == 0 ? 0 : 400);
                events.add(scroll);
            } else if (step % 10 == 5) {
                ObjectNode click = event(at, 2);
                ((ObjectNode) click.get("data")).put("type", 2).put("id", SEARCH_INPUT).put("x", x).put("y", y);
                events.add(click);
            }
        }
        // The session ends with its last event, idle or not.
        ObjectNode end = event(start + durationMs, 1);
        ((ObjectNode) end.get("data")).putArray("positions").addObject().put("x", 10).put("y", 10).put("id", 3)
                .put("timeOffset", 0);
        events.add(end);
        return JSON.writeValueAsBytes(events);
    }

    private static ObjectNode event(long timestamp, int source) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", 3);
        event.putObject("data").put("source", source);
        event.put("timestamp", timestamp);
        return event;
    }
}
