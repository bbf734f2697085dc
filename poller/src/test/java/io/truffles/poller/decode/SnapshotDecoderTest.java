package io.truffles.poller.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class SnapshotDecoderTest {
    /** Recorded with rrweb in Chromium by tools/rrweb-recorder (blob_v2 layout). */
    static final String RECORDED = "/recordings/checkout-rage-click.posthog.jsonl";

    final ObjectMapper json = new ObjectMapper();
    final SnapshotDecoder decoder = new SnapshotDecoder(json);

    @Test
    void blobV2LinesDecodeToSortedEventsCarryingTheirWindow() throws IOException {
        DecodedRecording recording = decode(resource(RECORDED));

        assertThat(recording.problems()).isEmpty();
        assertThat(recording.events()).hasSize(55);
        assertThat(recording.events()).isSortedAccordingTo((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        assertThat(recording.byWindow()).hasSize(1);
        JsonNode first = json.readTree(recording.events().get(0).json());
        assertThat(first.get("windowId").asText()).isEqualTo(recording.events().get(0).windowId()).isNotBlank();
    }

    @Test
    void theOlderWindowObjectLayoutDecodesToTheSameEventsAsBlobV2Lines() throws IOException {
        List<String> lines = lines(resource(RECORDED));
        StringBuilder older = new StringBuilder();
        // three events per line, as the old {window_id, data: [...]} blobs grouped them
        for (int i = 0; i < lines.size(); i += 3) {
            ObjectNode line = json.createObjectNode();
            ArrayNode data = line.putArray("data");
            for (int j = i; j < Math.min(i + 3, lines.size()); j++) {
                JsonNode pair = json.readTree(lines.get(j));
                line.put("window_id", pair.get(0).asText());
                data.add(pair.get(1));
            }
            older.append(json.writeValueAsString(line)).append('\n');
        }

        assertThat(asJson(decode(bytes(older.toString())))).isEqualTo(asJson(decode(resource(RECORDED))));
    }

    @Test
    void anRrwebArrayOfEventsDecodesLikeItsJsonlLines() throws IOException {
        byte[] array;
        try (InputStream in = getClass().getResourceAsStream("/samples/checkout-rage-click.rrweb.json")) {
            array = in.readAllBytes();
        }
        DecodedRecording fromArray = decode(array);
        DecodedRecording fromLines = decode(resource(RECORDED));

        assertThat(fromArray.problems()).isEmpty();
        assertThat(fromArray.events()).hasSameSizeAs(fromLines.events());
        for (int i = 0; i < fromArray.events().size(); i++) {
            ObjectNode withWindow = (ObjectNode) json.readTree(fromLines.events().get(i).json());
            withWindow.remove("windowId");
            assertThat(json.readTree(fromArray.events().get(i).json())).isEqualTo(withWindow);
        }
    }

    @Test
    void compressedEventsDecodeToTheSameEventsAsUncompressedOnes() throws IOException {
        PartialCompression compression = new PartialCompression(json);
        StringBuilder compressed = new StringBuilder();
        int compressedCount = 0;
        for (String line : lines(resource(RECORDED))) {
            ArrayNode pair = (ArrayNode) json.readTree(line);
            ObjectNode event = (ObjectNode) pair.get(1);
            compression.compress(event);
            if (event.has("cv")) {
                compressedCount++;
            }
            compressed.append(json.writeValueAsString(pair)).append('\n');
        }
        assertThat(compressedCount).as("the full snapshot and the mutations are compressed").isGreaterThanOrEqualTo(3);
        // gzip's magic bytes as latin-1 chars, the way posthog-js carries them (not base64)
        assertThat(compressed.toString()).contains("\\u001F\u008B");

        assertThat(asJson(decode(bytes(compressed.toString())))).isEqualTo(asJson(decode(resource(RECORDED))));
    }

    @Test
    void posthogsLatin1GzipStringFromPosthogJsIsDecompressed() throws IOException {
        DecodedRecording recording = decode(resource("/recordings/posthog_compressed_cv_2024-10_generated.jsonl"));
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/posthog/posthog_minimal_full_snapshot.json")) {
            expected = json.readTree(in);
        }

        JsonNode event = json.readTree(recording.events().get(0).json());
        assertThat(event.get("data")).isEqualTo(expected.get("data"));
        assertThat(event.has("cv")).isFalse();
    }

    /** StyleSheetRule (source 8): posthog-js gzips {@code adds} and {@code removes}, and leaves the rest alone. */
    @Test
    void compressedStyleSheetRuleAddsAndRemovesAreDecompressed() throws IOException {
        JsonNode adds = json.readTree("[{\"rule\":\".checkout button{color:#b00}\",\"index\":3}]");
        JsonNode removes = json.readTree("[{\"index\":1},{\"index\":[0,2]}]");
        ObjectNode event = json.createObjectNode().put("type", 3).put("timestamp", 1_747_540_314_900L)
                .put("cv", "2024-10");
        event.putObject("data").put("source", 8).put("id", 41).put("adds", latin1Gzip(adds))
                .put("removes", latin1Gzip(removes));
        String line = json.writeValueAsString(json.createArrayNode().add("w").add(event));
        assertThat(line).contains("\\u001F\u008B");

        DecodedRecording recording = decode(bytes(line + "\n"));

        assertThat(recording.problems()).isEmpty();
        JsonNode decoded = json.readTree(recording.events().get(0).json());
        assertThat(decoded.has("cv")).isFalse();
        assertThat(decoded.get("data").get("adds")).isEqualTo(adds);
        assertThat(decoded.get("data").get("removes")).isEqualTo(removes);
        assertThat(decoded.get("data").get("id").asInt()).isEqualTo(41);
    }

    /** posthog-js's {@code strFromU8(gzipSync(strToU8(JSON.stringify(value))), true)}: one char per gzip byte. */
    private String latin1Gzip(JsonNode value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json.writeValueAsBytes(value));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void unknownCompressionVersionsAndUnknownEventTypesAreKeptAsTheyAre() throws IOException {
        String lines = """
                ["w",{"type":2,"timestamp":10,"cv":"2099-01","data":"opaque"}]
                ["w",{"type":42,"timestamp":11,"data":{"future":true}}]
                """;
        DecodedRecording recording = decode(bytes(lines));

        assertThat(recording.problems()).isEmpty();
        assertThat(recording.events()).extracting(RecordedEvent::type).containsExactly(2, 42);
        assertThat(json.readTree(recording.events().get(0).json()).get("data").asText()).isEqualTo("opaque");
        assertThat(json.readTree(recording.events().get(0).json()).get("cv").asText()).isEqualTo("2099-01");
    }

    @Test
    void interleavedWindowsAreSeparatedEachInTimeOrder() throws IOException {
        String lines = """
                ["tab-a",{"type":4,"timestamp":100,"data":{"href":"https://a"}}]
                ["tab-b",{"type":4,"timestamp":105,"data":{"href":"https://b"}}]
                ["tab-a",{"type":3,"timestamp":130,"data":{"source":2,"type":2,"id":1}}]
                ["tab-b",{"type":3,"timestamp":110,"data":{"source":2,"type":2,"id":1}}]
                ["tab-a",{"type":3,"timestamp":120,"data":{"source":3,"id":1,"x":0,"y":5}}]
                """;
        DecodedRecording recording = decode(bytes(lines));

        assertThat(recording.byWindow()).containsOnlyKeys("tab-a", "tab-b");
        assertThat(recording.byWindow().get("tab-a")).extracting(RecordedEvent::timestamp)
                .containsExactly(100L, 120L, 130L);
        assertThat(recording.byWindow().get("tab-b")).extracting(RecordedEvent::timestamp)
                .containsExactly(105L, 110L);
        assertThat(recording.events()).extracting(RecordedEvent::timestamp)
                .containsExactly(100L, 105L, 110L, 120L, 130L);
    }

    @Test
    void malformedLinesAreReportedWithTheirLineNumberAndTheRestIsKept() throws IOException {
        List<String> lines = new ArrayList<>(lines(resource(RECORDED)));
        lines.add(2, "[\"w\", {\"type\": 3, \"timestamp\": 1"); // line 3: cut short
        lines.add(6, "{\"hello\": \"world\"}");              // line 7: JSON, but no event
        lines.add(9, "[\"w\", {\"type\": 3}]");               // line 10: an event without a timestamp
        DecodedRecording recording = decode(bytes(String.join("\n", lines)));

        assertThat(recording.problems()).extracting(LineProblem::lineNumber).containsExactly(3L, 7L, 10L);
        assertThat(recording.problems().get(0).reason()).startsWith("not JSON");
        assertThat(recording.events()).hasSize(55);
    }

    @Test
    void duplicatedAndShuffledLinesGiveTheSameRecordingOnce() throws IOException {
        List<String> lines = new ArrayList<>(lines(resource(RECORDED)));
        List<String> messy = new ArrayList<>(lines);
        messy.addAll(lines.subList(10, 30)); // a block fetched twice
        Collections.shuffle(messy, new Random(7));
        DecodedRecording recording = decode(bytes(String.join("\n", messy)));

        assertThat(recording.duplicatesDropped()).isEqualTo(20);
        assertThat(recording.events()).extracting(RecordedEvent::timestamp)
                .containsExactlyElementsOf(decode(resource(RECORDED)).events().stream()
                        .map(RecordedEvent::timestamp).toList());
    }

    @Test
    void theStoredFormIsOneJsonArrayOfEventsSortedByTimestamp() throws IOException {
        DecodedRecording recording = decode(resource(RECORDED));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        recording.writeJsonArray(out);

        JsonNode stored = json.readTree(out.toByteArray());
        assertThat(stored.isArray()).isTrue();
        assertThat(stored).hasSize(55);
        long previous = Long.MIN_VALUE;
        for (JsonNode event : stored) {
            assertThat(event.get("timestamp").asLong()).isGreaterThanOrEqualTo(previous);
            assertThat(event.has("windowId")).isTrue();
            previous = event.get("timestamp").asLong();
        }
    }

    private DecodedRecording decode(byte[] content) throws IOException {
        return decoder.decode(new ByteArrayInputStream(content), EventObserver.NONE);
    }

    private List<JsonNode> asJson(DecodedRecording recording) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (RecordedEvent event : recording.events()) {
            events.add(json.readTree(event.json()));
        }
        return events;
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> lines(byte[] content) {
        return new String(content, StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    }
}
