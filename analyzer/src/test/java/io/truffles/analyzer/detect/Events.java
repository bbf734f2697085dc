package io.truffles.analyzer.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Writes rrweb events the way the recorder does, for detector tests: a page with a button, a div and an input. */
public final class Events {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final long START = 1_732_400_000_000L;
    public static final int BUTTON = 10;
    public static final int BUTTON_TEXT = 11;
    public static final int PANEL = 12;
    public static final int INPUT = 13;
    public static final int CONTENT = 20;

    private final List<JsonNode> events = new ArrayList<>();

    /** Meta + FullSnapshot of a page at {@code href} whose body holds {@code bodyText} besides the controls. */
    public Events page(long at, String href, String title, String bodyText) {
        events.add(event(4, at, JSON.createObjectNode().put("href", href).put("width", 1280).put("height", 720)));
        ObjectNode html = element(3, "html");
        ObjectNode head = element(4, "head");
        ObjectNode titleNode = element(5, "title");
        titleNode.withArray("childNodes").add(text(6, title));
        head.withArray("childNodes").add(titleNode);
        ObjectNode body = element(7, "body");
        ObjectNode button = element(BUTTON, "button");
        button.with("attributes").put("id", "save").put("class", "primary big");
        button.withArray("childNodes").add(text(BUTTON_TEXT, "Save order"));
        ObjectNode panel = element(PANEL, "div");
        panel.with("attributes").put("class", "panel");
        panel.withArray("childNodes").add(text(CONTENT, bodyText));
        ObjectNode input = element(INPUT, "input");
        body.withArray("childNodes").add(button).add(panel).add(input);
        html.withArray("childNodes").add(head).add(body);
        ObjectNode document = JSON.createObjectNode().put("type", 0).put("id", 1);
        document.withArray("childNodes").add(html);
        events.add(event(2, at + 5, JSON.createObjectNode().set("node", document)));
        return this;
    }

    public Events click(long at, int target, int x, int y) {
        events.add(incremental(at, 2, JSON.createObjectNode().put("type", 2).put("id", target).put("x", x)
                .put("y", y)));
        return this;
    }

    /** A mutation adding a text paragraph under the panel. */
    public Events addText(long at, int id, String text) {
        ObjectNode paragraph = element(id, "p");
        paragraph.withArray("childNodes").add(text(id + 1, text));
        ObjectNode add = JSON.createObjectNode().put("parentId", PANEL);
        add.set("node", paragraph);
        ObjectNode data = JSON.createObjectNode();
        data.withArray("adds").add(add);
        data.putArray("removes");
        data.putArray("texts");
        data.putArray("attributes");
        events.add(incremental(at, 0, data));
        return this;
    }

    public Events mouseMove(long at, int x, int y) {
        ObjectNode data = JSON.createObjectNode();
        data.withArray("positions").add(JSON.createObjectNode().put("x", x).put("y", y).put("id", 7)
                .put("timeOffset", 0));
        events.add(incremental(at, 1, data));
        return this;
    }

    public Events scroll(long at) {
        events.add(incremental(at, 3, JSON.createObjectNode().put("id", 1).put("x", 0).put("y", 200)));
        return this;
    }

    /** What the recording shows, for grouping into incidents. */
    public RecordingScan.Result read() {
        RecordingScan scan = new RecordingScan(START);
        events.forEach(scan::accept);
        return scan.result();
    }

    /** A mutation setting an attribute of a node. */
    public Events attribute(long at, int id, String name, String value) {
        ObjectNode data = JSON.createObjectNode();
        ObjectNode change = JSON.createObjectNode().put("id", id);
        change.putObject("attributes").put(name, value);
        data.withArray("attributes").add(change);
        data.putArray("adds");
        data.putArray("removes");
        data.putArray("texts");
        events.add(incremental(at, 0, data));
        return this;
    }

    /** A mutation removing a node. */
    public Events remove(long at, int id) {
        ObjectNode data = JSON.createObjectNode();
        data.withArray("removes").add(JSON.createObjectNode().put("id", id).put("parentId", PANEL));
        data.putArray("adds");
        data.putArray("texts");
        data.putArray("attributes");
        events.add(incremental(at, 0, data));
        return this;
    }

    public List<Finding> scan() {
        RecordingScan scan = new RecordingScan(START);
        events.forEach(scan::accept);
        return scan.findings();
    }

    public byte[] asJson() throws Exception {
        ArrayNode array = JSON.createArrayNode();
        events.forEach(array::add);
        return JSON.writeValueAsBytes(array);
    }

    private static ObjectNode event(int type, long at, JsonNode data) {
        ObjectNode event = JSON.createObjectNode().put("type", type).put("timestamp", START + at);
        event.set("data", data);
        return event;
    }

    private static ObjectNode incremental(long at, int source, ObjectNode data) {
        data.put("source", source);
        return event(3, at, data);
    }

    private static ObjectNode element(int id, String tag) {
        ObjectNode node = JSON.createObjectNode().put("type", 2).put("id", id).put("tagName", tag);
        node.putObject("attributes");
        node.putArray("childNodes");
        return node;
    }

    private static ObjectNode text(int id, String text) {
        return JSON.createObjectNode().put("type", 3).put("id", id).put("textContent", text);
    }
}
