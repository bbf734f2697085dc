package io.truffles.analyzer.detect;

import com.fasterxml.jackson.databind.JsonNode;
import io.truffles.core.rrweb.Rrweb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The page of one window as the recording knows it: the FullSnapshot's node tree, kept current with Mutation
 * events, so the ids that clicks reference can be named ({@code button#save "Save order"}) and the page's text read.
 */
final class DomIndex {
    private static final int NODE_ELEMENT = 2;
    private static final int NODE_TEXT = 3;

    private record Node(int type, String tag, Map<String, String> attributes, String text) {
    }

    private final Map<Integer, Node> nodes = new HashMap<>();
    private final Map<Integer, Integer> parents = new HashMap<>();
    private final Map<Integer, List<Integer>> children = new HashMap<>();
    private String href = "";
    private String pageOf;
    private String page;
    /** The last element described, until the page changes: several detectors name the same clicked element. */
    private int describedId = Integer.MIN_VALUE;
    private String described;

    void onEvent(RecordedEvent event) {
        if (event.type() != Rrweb.META && (event.type() == Rrweb.FULL_SNAPSHOT
                || event.source() == Rrweb.SOURCE_MUTATION)) {
            describedId = Integer.MIN_VALUE;
        }
        if (event.type() == Rrweb.META) {
            href = event.data().path("href").asText(href);
        } else if (event.type() == Rrweb.FULL_SNAPSHOT) {
            nodes.clear();
            parents.clear();
            children.clear();
            add(event.data().path("node"), null);
        } else if (event.source() == Rrweb.SOURCE_MUTATION) {
            JsonNode data = event.data();
            for (JsonNode removed : data.path("removes")) {
                remove(removed.path("id").asInt());
            }
            for (JsonNode added : data.path("adds")) {
                add(added.path("node"), added.path("parentId").asInt());
            }
            for (JsonNode changed : data.path("attributes")) {
                Node node = nodes.get(changed.path("id").asInt());
                if (node != null) {
                    changed.path("attributes").fields().forEachRemaining(entry -> {
                        if (entry.getValue().isNull()) {
                            node.attributes().remove(entry.getKey());
                        } else {
                            node.attributes().put(entry.getKey(),
                                    entry.getValue().isValueNode() ? entry.getValue().asText() : "");
                        }
                    });
                }
            }
            for (JsonNode changed : data.path("texts")) {
                Node node = nodes.get(changed.path("id").asInt());
                if (node != null) {
                    nodes.put(changed.path("id").asInt(),
                            new Node(node.type(), node.tag(), node.attributes(), changed.path("value").asText("")));
                }
            }
        }
    }

    String href() {
        return href;
    }

    /** The page's path pattern ({@link PagePattern}), worked out once per page rather than per event. */
    String page() {
        if (!href.equals(pageOf)) {
            page = PagePattern.of(href);
            pageOf = href;
        }
        return page;
    }

    private void add(JsonNode node, Integer parentId) {
        if (node.isMissingNode() || !node.has("id")) {
            return;
        }
        int id = node.path("id").asInt();
        Map<String, String> attributes = new LinkedHashMap<>();
        node.path("attributes").fields().forEachRemaining(entry -> attributes.put(entry.getKey(),
                entry.getValue().isValueNode() ? entry.getValue().asText() : ""));
        nodes.put(id, new Node(node.path("type").asInt(), node.path("tagName").asText("").toLowerCase(), attributes,
                node.path("textContent").asText("")));
        if (parentId != null) {
            parents.put(id, parentId);
            children.computeIfAbsent(parentId, ignored -> new ArrayList<>()).add(id);
        }
        for (JsonNode child : node.path("childNodes")) {
            add(child, id);
        }
    }

    private void remove(int id) {
        nodes.remove(id);
        Integer parent = parents.remove(id);
        if (parent != null && children.containsKey(parent)) {
            children.get(parent).remove(Integer.valueOf(id));
        }
        for (Integer child : children.getOrDefault(id, List.of()).toArray(Integer[]::new)) {
            remove(child);
        }
        children.remove(id);
    }

    /** The tag name of the element with that id (or of a text node's parent), "" when unknown. */
    String tagOf(int id) {
        Node node = elementOf(id);
        return node == null ? "" : node.tag();
    }

    /** True for the node or any ancestor matching: form fields, where a click's effect is a focus, not a mutation. */
    boolean isEditable(int id) {
        for (Integer current = id; current != null; current = parents.get(current)) {
            Node node = nodes.get(current);
            if (node != null && node.type() == NODE_ELEMENT && (node.tag().equals("input")
                    || node.tag().equals("textarea") || node.tag().equals("select") || node.tag().equals("label")
                    || node.attributes().containsKey("contenteditable"))) {
                return true;
            }
        }
        return false;
    }

    /** A short, stable name for the element: {@code tag#id.class "text"}. */
    String describe(int id) {
        if (id != describedId) {
            described = describeNow(id);
            describedId = id;
        }
        return described;
    }

    private String describeNow(int id) {
        Integer elementId = nodes.containsKey(id) && nodes.get(id).type() == NODE_TEXT ? parents.get(id) : id;
        Node node = elementId == null ? null : nodes.get(elementId);
        if (node == null) {
            return "";
        }
        StringBuilder name = new StringBuilder(node.tag());
        String htmlId = node.attributes().get("id");
        if (htmlId != null && !htmlId.isBlank()) {
            name.append('#').append(htmlId.strip());
        }
        String classes = node.attributes().get("class");
        if (classes != null && !classes.isBlank()) {
            String[] names = classes.strip().split("\\s+");
            for (int i = 0; i < Math.min(2, names.length); i++) {
                name.append('.').append(names[i]);
            }
        }
        String text = textOf(elementId).strip().replaceAll("\\s+", " ");
        if (!text.isEmpty()) {
            name.append(" \"").append(text.length() > 40 ? text.substring(0, 40) + "…" : text).append('"');
        }
        return name.toString();
    }

    /** All text under the node, scripts and styles left out. */
    String textOf(int id) {
        StringBuilder text = new StringBuilder();
        appendText(id, text, Integer.MAX_VALUE);
        return text.toString();
    }

    /** The text under the node, stopping once it is longer than {@code max}: enough to tell a message from a page. */
    String textOf(int id, int max) {
        StringBuilder text = new StringBuilder();
        appendText(id, text, max);
        return text.toString();
    }

    /** The text of the whole page. */
    String pageText() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Integer, Node> entry : nodes.entrySet()) {
            if (!parents.containsKey(entry.getKey())) {
                appendText(entry.getKey(), text, Integer.MAX_VALUE);
            }
        }
        return text.toString();
    }

    private void appendText(int id, StringBuilder text, int max) {
        Node node = nodes.get(id);
        if (node == null || text.length() > max || node.tag().equals("script") || node.tag().equals("style")) {
            return;
        }
        if (node.type() == NODE_TEXT) {
            text.append(node.text()).append(' ');
        }
        for (Integer child : children.getOrDefault(id, List.of())) {
            appendText(child, text, max);
        }
    }

    boolean isText(int id) {
        Node node = nodes.get(id);
        return node != null && node.type() == NODE_TEXT;
    }

    /** The nodes no other node holds: the document, and anything added under a node the index does not know. */
    List<Integer> roots() {
        List<Integer> roots = new ArrayList<>();
        for (Integer id : nodes.keySet()) {
            if (!parents.containsKey(id)) {
                roots.add(id);
            }
        }
        return roots;
    }

    boolean exists(int id) {
        return nodes.containsKey(id);
    }

    /** The attributes of the element with that id (or of a text node's parent), empty when unknown. */
    Map<String, String> attributes(int id) {
        Node node = elementOf(id);
        return node == null ? Map.of() : node.attributes();
    }

    /** The attribute of the element with that id (or of a text node's parent), null when absent. */
    String attribute(int id, String name) {
        Node node = elementOf(id);
        return node == null ? null : node.attributes().get(name);
    }

    /** The node's own text when it is a text node, else "". */
    String ownText(int id) {
        Node node = nodes.get(id);
        return node != null && node.type() == NODE_TEXT ? node.text() : "";
    }

    /** The node and its ancestors, nearest first, as element ids (a text node starts at its parent). */
    List<Integer> elementAndAncestors(int id) {
        List<Integer> chain = new ArrayList<>();
        for (Integer current = id; current != null; current = parents.get(current)) {
            Node node = nodes.get(current);
            if (node != null && node.type() == NODE_ELEMENT) {
                chain.add(current);
            }
        }
        return chain;
    }

    /** The ids of the node and every node under it. */
    void collectSubtree(int id, List<Integer> into) {
        if (!nodes.containsKey(id)) {
            return;
        }
        into.add(id);
        for (Integer child : children.getOrDefault(id, List.of())) {
            collectSubtree(child, into);
        }
    }

    private Node elementOf(int id) {
        Node node = nodes.get(id);
        if (node != null && node.type() == NODE_TEXT) {
            Integer parent = parents.get(id);
            return parent == null ? null : nodes.get(parent);
        }
        return node;
    }
}
