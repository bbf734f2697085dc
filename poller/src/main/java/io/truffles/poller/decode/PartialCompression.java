package io.truffles.poller.decode;

import static io.truffles.core.rrweb.Rrweb.FULL_SNAPSHOT;
import static io.truffles.core.rrweb.Rrweb.INCREMENTAL_SNAPSHOT;
import static io.truffles.core.rrweb.Rrweb.SOURCE_MUTATION;
import static io.truffles.core.rrweb.Rrweb.SOURCE_STYLE_SHEET_RULE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * posthog-js's partial compression ({@code "cv":"2024-10"}): large parts of an event are replaced by the gzip of
 * their JSON, carried as a latin-1 "binary string" (one char per byte), not base64. FullSnapshot {@code data},
 * Mutation {@code adds/removes/texts/attributes} and StyleSheetRule {@code adds/removes} are compressed.
 */
public final class PartialCompression {
    public static final String VERSION = "2024-10";
    private static final List<String> MUTATION_FIELDS = List.of("adds", "removes", "texts", "attributes");
    private static final List<String> STYLE_SHEET_FIELDS = List.of("adds", "removes");

    private final ObjectMapper json;

    public PartialCompression(ObjectMapper json) {
        this.json = json;
    }

    /** Whether the event says it is compressed in a version this knows; other {@code cv} values are left alone. */
    public static boolean isKnownCompressed(JsonNode event) {
        return VERSION.equals(event.path("cv").asText(null));
    }

    /**
     * Replaces the compressed parts of the event with their JSON and drops {@code cv}, so what is stored is plain
     * rrweb any replayer understands.
     */
    public void decompress(ObjectNode event) throws IOException {
        int type = event.path("type").asInt(-1);
        if (type == FULL_SNAPSHOT && event.path("data").isTextual()) {
            event.set("data", gunzip(event.get("data").asText()));
        } else if (type == INCREMENTAL_SNAPSHOT && event.path("data").isObject()) {
            ObjectNode data = (ObjectNode) event.get("data");
            int source = data.path("source").asInt(-1);
            List<String> fields = source == SOURCE_MUTATION ? MUTATION_FIELDS
                    : source == SOURCE_STYLE_SHEET_RULE ? STYLE_SHEET_FIELDS : List.of();
            for (String field : fields) {
                if (data.path(field).isTextual()) {
                    data.set(field, gunzip(data.get(field).asText()));
                }
            }
        }
        event.remove("cv");
    }

    /** The inverse, as posthog-js does it; for tests and for making compressed samples. */
    public void compress(ObjectNode event) {
        int type = event.path("type").asInt(-1);
        if (type == FULL_SNAPSHOT) {
            event.put("data", gzip(event.get("data")));
        } else if (type == INCREMENTAL_SNAPSHOT && event.path("data").isObject()) {
            ObjectNode data = (ObjectNode) event.get("data");
            int source = data.path("source").asInt(-1);
            List<String> fields = source == SOURCE_MUTATION ? MUTATION_FIELDS
                    : source == SOURCE_STYLE_SHEET_RULE ? STYLE_SHEET_FIELDS : List.of();
            if (fields.isEmpty()) {
                return;
            }
            for (String field : fields) {
                if (data.has(field)) {
                    data.put(field, gzip(data.get(field)));
                }
            }
        } else {
            return;
        }
        event.put("cv", VERSION);
    }

    private JsonNode gunzip(String latin1) throws IOException {
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return json.readTree(in);
        }
    }

    private String gzip(JsonNode value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                json.writeValue(gzip, value);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
