package io.truffles.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.truffles.e2e.ChaosRecordings.Planned;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One host's figures on the embedded stack with no model key (detectors only, no agents): recordings per hour end to
 * end (listed by PostHog → session complete) with a batch listed at once, the renderer's share of that time, and the
 * latency of one recording at a time, from the moment PostHog lists it to the moment its issues are on the api
 * (p50/p95). Prints, asserts no speed:
 * {@code ./mvnw -B verify -pl e2e -am -Pthroughput-benchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=ThroughputBenchmark -Dfailsafe.failIfNoSpecifiedTests=false}
 * ({@code -Dbenchmark.recordings=N} for the batch, default 24; {@code -Dbenchmark.latency-samples=N}, default 10;
 * without {@code it.test}, {@code -am} runs every other module's ITs first).
 */
class ThroughputBenchmark {
    private static final int BATCH = Integer.getInteger("benchmark.recordings", 24);
    private static final int SAMPLES = Integer.getInteger("benchmark.latency-samples", 10);
    private static final String COMPLETE_SESSIONS = "/api/sessions?status=complete&limit=100";

    @Test
    void recordingsPerHourAndTheLatencyOfOneRecording() throws Exception {
        Path data = Files.createTempDirectory("truffles-throughput-");
        try (StoodInStack flow = StoodInStack.on(data, Map.of("ANTHROPIC_API_KEY", ""))) {
            TrufflesStack.Run up = flow.stack.truffles("up");
            assertThat(up.exitCode()).as(up.describe()).isZero();
            List<Planned> plan = ChaosRecordings.plan(BATCH + SAMPLES, 6).stream()
                    .filter(p -> !p.variant().broken()).toList();
            Instant firstStart = Instant.now().minus(Duration.ofHours(5));
            List<Planned> recordings = new ArrayList<>();
            for (Planned recording : plan) {
                recordings.add(recording.startingAt(firstStart.plusSeconds(60L * recordings.size())));
            }
            int batch = Math.min(BATCH, recordings.size() - SAMPLES);

            // the batch, listed at once: throughput, and how much of it the renderer's jobs took
            Instant listed = Instant.now();
            recordings.subList(0, batch).forEach(r -> flow.posthog.publish(r.recording()));
            Map<String, Instant> done = new HashMap<>();
            await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> completeOnApi(flow, done) >= batch);
            double batchSeconds = Duration.between(listed, Instant.now()).toMillis() / 1000.0;
            double renderSeconds = jobSeconds(flow.stack.port("RENDERER_PORT"));
            double analyzeSeconds = jobSeconds(flow.stack.port("ANALYZER_PORT"));
            double endToEnd = done.values().stream()
                    .mapToDouble(at -> Duration.between(listed, at).toMillis() / 1000.0).sum();

            // one recording at a time: listed by PostHog → its issues on the api
            List<Double> latencies = new ArrayList<>();
            for (Planned recording : recordings.subList(batch, batch + SAMPLES)) {
                String id = recording.recording().id();
                flow.posthog.publish(recording.recording());
                Instant at = flow.posthog.publishedAt(id);
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> completeOnApi(flow, done) > 0 && done.containsKey(id) && hasIssues(flow, id));
                latencies.add(Duration.between(at, done.get(id)).toMillis() / 1000.0);
            }
            latencies.sort(Double::compare);
            System.out.printf("throughput benchmark (embedded stack, no model keys, %d cores, load average %s)%n",
                    Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
            System.out.printf("  %d recordings listed at once, complete after %.1f s: %.0f recordings/hour%n", batch,
                    batchSeconds, batch * 3600 / batchSeconds);
            System.out.printf("  render jobs %.1f s, analyze jobs %.1f s in all; the renderer's share of the "
                            + "recordings' summed end-to-end time %.0f%% (of the work done: %.0f%%)%n", renderSeconds,
                    analyzeSeconds, 100 * renderSeconds / endToEnd,
                    100 * renderSeconds / (renderSeconds + analyzeSeconds));
            System.out.printf("  one recording at a time (polling every %d s): listed → issues on the api "
                    + "p50 %.1f s, p95 %.1f s (n=%d, min %.1f s, max %.1f s)%n", StoodInStack.POLLING_INTERVAL_SECONDS,
                    percentile(latencies, 50), percentile(latencies, 95), latencies.size(), latencies.get(0),
                    latencies.get(latencies.size() - 1));
        }
    }

    /** Notes when each session is first seen complete on the api; returns how many are. */
    private static int completeOnApi(StoodInStack flow, Map<String, Instant> done) throws Exception {
        JsonNode page = TrufflesStack.json(TrufflesStack.get(flow.stack.api() + COMPLETE_SESSIONS));
        Instant now = Instant.now();
        for (JsonNode item : page.path("items")) {
            done.putIfAbsent(item.path("posthogSessionId").asText(), now);
        }
        return done.size();
    }

    private static boolean hasIssues(StoodInStack flow, String posthogSessionId) throws Exception {
        JsonNode page = TrufflesStack.json(TrufflesStack.get(flow.stack.api() + COMPLETE_SESSIONS));
        for (JsonNode item : page.path("items")) {
            if (item.path("posthogSessionId").asText().equals(posthogSessionId)) {
                JsonNode session = TrufflesStack.json(TrufflesStack.get(flow.stack.api() + "/api/sessions/"
                        + item.path("_id").asText()));
                return session.path("issues").size() > 0;
            }
        }
        return false;
    }

    /** Seconds of finished jobs: {@code truffles_queue_job_duration_seconds_sum} of the service on {@code port}. */
    private static double jobSeconds(int port) {
        return TrufflesStack.get("http://127.0.0.1:" + port + "/q/metrics").body().lines()
                .filter(line -> line.startsWith("truffles_queue_job_duration_seconds_sum"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static double percentile(List<Double> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
