package io.truffles.core.redaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.truffles.core.json.JsonMapping;
import java.util.Iterator;
import java.util.Map;

/**
 * The one place recording-derived text becomes prompt text. Evidence (console messages, URLs, page text, issue titles
 * made from them) is a JSON tree; here every string in it is redacted ({@link Redaction}) and bounded, arrays are
 * bounded, and the tree is written between {@value #OPEN} and {@value #CLOSE} with every {@code <} and {@code >}
 * inside as a JSON escape ({@code \u003C}, {@code \u003E}). So nothing inside can close the block and speak as the
 * prompt: the block's own two tags are the only ones in it, and the JSON still decodes to the (redacted) evidence.
 * Prompts say that what is inside the block is data, never instructions.
 */
public final class EvidenceBlock {
    public static final String OPEN = "<evidence>";
    public static final String CLOSE = "</evidence>";
    /** One string value at most this long; longer ones are cut, saying so. */
    public static final int MAX_VALUE_CHARS = 4000;
    /** One array at most this long; the rest is counted in a last element. */
    public static final int MAX_ITEMS = 500;
    /** All strings of one block together at most this long; later values are replaced by a marker. */
    public static final int MAX_TOTAL_CHARS = 200_000;

    private static final ObjectMapper JSON = JsonMapping.shared();
    private static final ObjectWriter WRITER = JSON.writer(new NoAngleBrackets()).withDefaultPrettyPrinter();

    private EvidenceBlock() {
    }

    /** The evidence, redacted and bounded, as a quoted block for a prompt. */
    public static String quote(JsonNode evidence) {
        return OPEN + "\n" + json(evidence) + "\n" + CLOSE;
    }

    /**
     * The evidence, redacted and bounded, as JSON with no {@code <} or {@code >} in it: what the agent's evidence
     * folder holds, so a file read into a prompt cannot close a block either.
     */
    public static String json(JsonNode evidence) {
        try {
            return WRITER.writeValueAsString(data(evidence));
        } catch (JsonProcessingException impossible) {
            // a JsonNode tree always serialises
            throw new IllegalStateException(impossible);
        }
    }

    /** A copy of the tree with every string redacted and bounded, and every array bounded. */
    public static JsonNode data(JsonNode evidence) {
        return copy(evidence, new int[] {MAX_TOTAL_CHARS});
    }

    /** Any value (a document, a map) as the tree {@link #quote} takes. */
    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    private static JsonNode copy(JsonNode node, int[] budget) {
        if (node == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isTextual()) {
            return TextNode.valueOf(bounded(node.asText(), budget));
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(bounded(field.getKey(), budget), copy(field.getValue(), budget));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            int shown = Math.min(node.size(), MAX_ITEMS);
            for (int i = 0; i < shown; i++) {
                copy.add(copy(node.get(i), budget));
            }
            if (node.size() > shown) {
                copy.add("… " + (node.size() - shown) + " more not shown");
            }
            return copy;
        }
        return node.deepCopy();
    }

    private static String bounded(String text, int[] budget) {
        if (budget[0] <= 0) {
            return "[cut: the evidence is longer than " + MAX_TOTAL_CHARS + " characters]";
        }
        String value = Redaction.bounded(text, Math.min(MAX_VALUE_CHARS, budget[0]));
        budget[0] -= value.length();
        return value;
    }

    private static final class NoAngleBrackets extends CharacterEscapes {
        private final int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();

        NoAngleBrackets() {
            escapes['<'] = CharacterEscapes.ESCAPE_STANDARD;
            escapes['>'] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
