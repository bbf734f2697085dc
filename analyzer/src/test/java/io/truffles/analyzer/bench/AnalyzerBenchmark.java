package io.truffles.analyzer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.RecordingScan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Not a test: prints the analyzer's figures so they can be tracked.
 * <ul>
 * <li>Detector throughput (sessions/s, events/s) on a 60 min recording made by repeating the Chromium-recorded
 * {@code problems.rrweb.json} back to back, each copy shifted in time (every copy is a new page load, so the DOM
 * index is rebuilt as it would be on navigation).</li>
 * <li>Model cost per analysed session-minute for the default video model, from the {@code usage} OpenRouter recorded
 * for google/gemini-3-pro-preview (fixture {@code openrouter_response_gemini3pro_recorded.json}).</li>
 * </ul>
 * Not part of the build's tests (the name matches no test pattern). Run with
 * {@code ./mvnw -B -q -pl analyzer -am verify -Dtest=AnalyzerBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -DskipITs}.
 */
class AnalyzerBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Gemini bills video at about 263 tokens per second of video (Google's Gemini API documentation, default media
     * resolution); this is the one figure not taken from a recorded response.
     */
    static final double GEMINI_VIDEO_TOKENS_PER_SECOND = 263;

    @Test
    void printFigures() throws Exception {
        System.out.println("Analyzer benchmark (figures taken on a shared 2-core machine under contention from other"
                + " builds; compare runs on the same machine only)");
        for (int minutes : new int[] {10, 60}) {
            byte[] recording = recording(minutes);
            int events = JSON.readTree(recording).size();
            for (int warmup = 0; warmup < 3; warmup++) {
                RecordingScan.scan(new ByteArrayInputStream(recording));
            }
            int runs = 10;
            int findings = 0;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuStarted = threads.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            for (int run = 0; run < runs; run++) {
                List<Finding> found = RecordingScan.scan(new ByteArrayInputStream(recording));
                findings = found.size();
            }
            double wall = (System.nanoTime() - started) / 1e9;
            // CPU time is what the scan itself used: the figure least bent by other builds on the machine
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
            System.out.printf(Locale.ROOT, "detectors on a %d min recording (%d events, %.1f MB, %d findings): "
                    + "%.2f sessions/s, %.0f events/s wall clock; %.2f sessions/s, %.0f events/s per CPU second%n",
                    minutes, events, recording.length / 1e6, findings, runs / wall, runs * (double) events / wall,
                    runs / cpu, runs * (double) events / cpu);
        }

        JsonNode usage = JSON.readTree(resource("/openrouter/openrouter_response_gemini3pro_recorded.json"))
                .path("usage");
        double promptPrice = usage.path("cost_details").path("upstream_inference_prompt_cost").asDouble()
                / usage.path("prompt_tokens").asDouble();
        double completionPrice = usage.path("cost_details").path("upstream_inference_completions_cost").asDouble()
                / usage.path("completion_tokens").asDouble();
        double promptTokensPerMinute = GEMINI_VIDEO_TOKENS_PER_SECOND * 60;
        // one answer per session; its length does not grow with the session, so a 1-minute session pays it whole
        double answer = usage.path("completion_tokens").asDouble() * completionPrice;
        System.out.printf(Locale.ROOT, "google/gemini-3-pro-preview (recorded usage: $%.2f/M prompt, $%.2f/M "
                + "completion): $%.4f per session-minute of video + $%.4f per answer -> 1 min session $%.4f, "
                + "10 min session $%.4f/min%n", promptPrice * 1e6, completionPrice * 1e6,
                promptTokensPerMinute * promptPrice, answer, promptTokensPerMinute * promptPrice + answer,
                promptTokensPerMinute * promptPrice + answer / 10);
        System.out.println("moonshotai/kimi-k2.5, anthropic/claude-opus-4.5 (text, screening): no recorded usage in "
                + "the fixtures; not computed.");
    }

    /** The Chromium recording repeated for {@code minutes}: every copy's timestamps shifted to follow the last. */
    static byte[] recording(int minutes) throws IOException {
        JsonNode sample = JSON.readTree(resource("/recordings/problems.rrweb.json"));
        long first = sample.get(0).get("timestamp").asLong();
        long length = sample.get(sample.size() - 1).get("timestamp").asLong() - first + 1_000;
        ArrayNode hour = JSON.createArrayNode();
        for (long shift = 0; shift < minutes * 60_000L; shift += length) {
            for (JsonNode event : sample) {
                ObjectNode copy = event.deepCopy();
                copy.put("timestamp", event.get("timestamp").asLong() + shift);
                hour.add(copy);
            }
        }
        return JSON.writeValueAsBytes(hour);
    }

    private static InputStream resource(String name) {
        return AnalyzerBenchmark.class.getResourceAsStream(name);
    }
}
