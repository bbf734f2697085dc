package io.truffles.poller.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.poller.decode.DecodedRecording;
import io.truffles.poller.decode.SnapshotDecoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FactsCollectorTest {
    final ObjectMapper json = new ObjectMapper();
    final SnapshotDecoder decoder = new SnapshotDecoder(json);

    @Test
    void theConsoleErrorOfARealRecordingIsExtractedWithItsStackPageAndOffset() throws IOException {
        Extracted extracted = extract(resource("/recordings/checkout-rage-click.posthog.jsonl"));
        long start = extracted.recording.firstTimestamp().orElseThrow();

        assertThat(extracted.facts.consoleErrors()).hasSize(1);
        ConsoleError error = extracted.facts.consoleErrors().get(0);
        assertThat(error.message).startsWith("Error: Order save failed with HTTP 500");
        assertThat(error.stack).contains("HTMLButtonElement");
        assertThat(error.url).startsWith("http://127.0.0.1:").endsWith("/");
        assertThat(error.time).isEqualTo(Instant.ofEpochMilli(1795494569769L));
        assertThat(error.offsetSeconds).isEqualTo((1795494569769L - start) / 1000.0);
        assertThat(error.offsetSeconds).isBetween(3.0, 6.0);
    }

    @Test
    void theFailedRequestOfARealRecordingIsExtractedAndItsCredentialsNeverStored() throws IOException {
        byte[] recorded = resource("/recordings/checkout-rage-click.posthog.jsonl");
        assertThat(new String(recorded, StandardCharsets.UTF_8)).contains("sk_live_51HxTrufflesSampleSecretToken0001");
        Extracted extracted = extract(recorded);
        long start = extracted.recording.firstTimestamp().orElseThrow();

        assertThat(extracted.facts.networkFailures()).hasSize(1);
        NetworkFailure failure = extracted.facts.networkFailures().get(0);
        assertThat(failure.method).isEqualTo("POST");
        assertThat(failure.url).endsWith("/api/orders");
        assertThat(failure.status).isEqualTo(500);
        assertThat(failure.durationMs).isCloseTo(17.9, within(0.01));
        assertThat(failure.time).isEqualTo(Instant.ofEpochMilli(1795494569749L));
        assertThat(failure.offsetSeconds).isEqualTo((1795494569749L - start) / 1000.0);

        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        extracted.recording.writeJsonArray(stored);
        String storedText = stored.toString(StandardCharsets.UTF_8);
        assertThat(storedText).doesNotContain("sk_live_51HxTrufflesSampleSecretToken0001")
                .contains("\"Authorization\":\"[redacted]\"");
    }

    @Test
    void posthogPluginEventsGiveTheErrorTextAndTheFailedRequestFromPerformanceTimings() throws IOException {
        Extracted extracted = extract(resource("/recordings/posthog_rrweb_plugin_events_blob_v2.jsonl"));

        assertThat(extracted.facts.consoleErrors()).extracting(error -> error.message).containsExactly("ok");
        assertThat(extracted.facts.consoleErrors().get(0).offsetSeconds).isEqualTo(0.003);
        NetworkFailure failure = extracted.facts.networkFailures().get(0);
        assertThat(failure.status).isEqualTo(404);
        assertThat(failure.url).isEqualTo("https://example.com/api/recordings?limit=20");
        assertThat(failure.durationMs).isEqualTo(650.0);
    }

    @Test
    void onlyErrorsAndFailedOrUnansweredRequestsCount() throws IOException {
        String lines = """
                ["w",{"type":4,"timestamp":1000,"data":{"href":"https://shop.test/cart?session_id=abcdef","width":1,"height":1}}]
                ["w",{"type":6,"timestamp":1100,"data":{"plugin":"rrweb/console@1","payload":{"level":"warn","payload":["\\"slow\\""]}}}]
                ["w",{"type":6,"timestamp":1200,"data":{"plugin":"rrweb/console@1","payload":{"level":"error","payload":["\\"Cannot read\\"","{\\"id\\":7}"],"trace":["at a (app.js:1:2)","at b (app.js:3:4)"]}}}]
                ["w",{"type":6,"timestamp":1300,"data":{"plugin":"rrweb/network@1","payload":{"requests":[\
                {"name":"https://shop.test/ok","method":"GET","status":200,"duration":5},\
                {"name":"https://shop.test/pay?access_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig&page=2",\
                "method":"POST","status":0,"timestamp":1290},\
                {"name":"https://shop.test/img.png","initiatorType":"img"}]}}}]
                """;
        Extracted extracted = extract(lines.getBytes(StandardCharsets.UTF_8));

        assertThat(extracted.recording.problems()).isEmpty();
        assertThat(extracted.facts.consoleErrors()).hasSize(1);
        ConsoleError error = extracted.facts.consoleErrors().get(0);
        assertThat(error.message).isEqualTo("Cannot read {\"id\":7}");
        assertThat(error.stack).isEqualTo("at a (app.js:1:2)\nat b (app.js:3:4)");
        assertThat(error.url).isEqualTo("https://shop.test/cart?session_id=[redacted]");
        assertThat(error.offsetSeconds).isEqualTo(0.2);

        assertThat(extracted.facts.networkFailures()).hasSize(1);
        NetworkFailure failure = extracted.facts.networkFailures().get(0);
        assertThat(failure.status).isZero();
        assertThat(failure.error).contains("no response");
        assertThat(failure.url).isEqualTo("https://shop.test/pay?access_token=[redacted]&page=2");
        assertThat(failure.offsetSeconds).isEqualTo(0.29);
    }

    private Extracted extract(byte[] content) throws IOException {
        FactsCollector collector = new FactsCollector(json);
        DecodedRecording recording = decoder.decode(new ByteArrayInputStream(content), collector);
        return new Extracted(recording, collector.facts(recording.firstTimestamp().orElseThrow()));
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private record Extracted(DecodedRecording recording, SessionFacts facts) {
    }
}
