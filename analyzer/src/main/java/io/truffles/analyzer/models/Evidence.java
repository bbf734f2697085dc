package io.truffles.analyzer.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Recording content quoted for a model: JSON between {@code <evidence>} and {@code </evidence>}, with every
 * {@code <} and {@code >} inside written as a JSON escape ({@code \u003C}, {@code \u003E}). A console message or page
 * text that says {@code </evidence>} then cannot close the block and speak as the prompt; the JSON still decodes to
 * exactly what was captured, so the model reads the evidence unchanged.
 */
public final class Evidence {
    public static final String OPEN = "<evidence>";
    public static final String CLOSE = "</evidence>";
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new NoAngleBrackets())
            .withDefaultPrettyPrinter();

    private Evidence() {
    }

    public static String quote(JsonNode evidence) {
        try {
            return OPEN + "\n" + WRITER.writeValueAsString(evidence) + "\n" + CLOSE;
        } catch (JsonProcessingException impossible) {
            // a JsonNode tree always serialises
            throw new IllegalStateException(impossible);
        }
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
