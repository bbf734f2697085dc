package io.truffles.analyzer.detect;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One rrweb event and the vocabulary of its format (api-report §5): {@code type}, {@code data}, {@code timestamp}
 * in epoch milliseconds, and the window it came from when the recording had several.
 */
public record RecordedEvent(int type, long timestamp, JsonNode data, String windowId) {
    public static final int FULL_SNAPSHOT = 2;
    public static final int INCREMENTAL_SNAPSHOT = 3;
    public static final int META = 4;

    public static final int SOURCE_MUTATION = 0;
    public static final int SOURCE_MOUSE_INTERACTION = 2;
    public static final int SOURCE_SCROLL = 3;
    public static final int SOURCE_INPUT = 5;
    public static final int SOURCE_MEDIA_INTERACTION = 7;
    public static final int SOURCE_SELECTION = 14;

    public static final int INTERACTION_CLICK = 2;
    public static final int INTERACTION_FOCUS = 5;

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
