package io.truffles.analyzer.detect;

import static io.truffles.core.rrweb.Rrweb.FULL_SNAPSHOT;
import static io.truffles.core.rrweb.Rrweb.INCREMENTAL_SNAPSHOT;
import static io.truffles.core.rrweb.Rrweb.INTERACTION_CLICK;
import static io.truffles.core.rrweb.Rrweb.META;
import static io.truffles.core.rrweb.Rrweb.SOURCE_MOUSE_INTERACTION;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One rrweb event and the vocabulary of its format (api-report §5): {@code type}, {@code data}, {@code timestamp}
 * in epoch milliseconds, and the window it came from when the recording had several.
 */
public record RecordedEvent(int type, long timestamp, JsonNode data, String windowId) {
    public static RecordedEvent of(JsonNode event) {
        JsonNode window = event.get("windowId");
        return new RecordedEvent(event.path("type").asInt(-1), event.path("timestamp").asLong(),
                event.path("data"), window == null || window.isNull() ? "" : window.asText());
    }

    /** The incremental source, or -1 for other event types. */
    public int source() {
        return type == INCREMENTAL_SNAPSHOT ? data.path("source").asInt(-1) : -1;
    }

    public boolean isClick() {
        return source() == SOURCE_MOUSE_INTERACTION && data.path("type").asInt(-1) == INTERACTION_CLICK;
    }

    /** A new page (or a reload): the recorder starts over with a Meta and a FullSnapshot. */
    public boolean isNavigation() {
        return type == META || type == FULL_SNAPSHOT;
    }
}
