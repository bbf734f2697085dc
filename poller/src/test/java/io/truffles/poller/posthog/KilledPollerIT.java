package io.truffles.poller.posthog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mongodb.client.model.Filters;
import io.truffles.core.embedded.EmbeddedS3;
import io.truffles.core.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged poller against a WireMock PostHog with 120 finished recordings on 3 pages: killed (SIGKILL) in the
 * middle and started again, it imports every recording exactly once and resumes from its cursor.
 */
class KilledPollerIT {
    static final String PROJECT = "777";
    static final String BASE = "/api/projects/" + PROJECT + "/session_recordings";
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void oneHundredTwentyRecordingsAreImportedExactlyOnceAcrossAKillAndARestart() throws Exception {
        WireMockServer posthog = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        posthog.start();
        try (TestDatabase database = TestDatabase.start();
                EmbeddedS3 s3 = EmbeddedS3.start(Files.createDirectories(work.resolve("s3")), 0)) {
            stubPostHog(posthog, 120);
            Map<String, String> env = Map.ofEntries(
                    Map.entry("POLLER_PORT", Integer.toString(freePort())),
                    Map.entry("MONGODB_URI", database.uri()),
                    Map.entry("S3_ENDPOINT", s3.endpoint()),
                    Map.entry("S3_PATH_STYLE", "true"),
                    Map.entry("S3_BUCKET", "truffles-it"),
                    Map.entry("AWS_REGION", EmbeddedS3.REGION),
                    Map.entry("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY),
                    Map.entry("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY),
                    Map.entry("POSTHOG_HOST", posthog.baseUrl()),
                    Map.entry("POSTHOG_API_KEY", "phx_KilledPollerItKey0123456789abcdef"),
                    Map.entry("POSTHOG_PROJECT_ID", PROJECT),
                    Map.entry("POLLING_INTERVAL_SECONDS", "10"),
                    Map.entry("TRUFFLES_POLLER_POSTHOG_PAGE_SIZE", "50"),
                    Map.entry("TRUFFLES_POLLER_POSTHOG_SNAPSHOT_CALLS_PER_MINUTE", "60000"),
                    Map.entry("TRUFFLES_POLLER_POSTHOG_SNAPSHOT_CALLS_PER_HOUR", "1000000"),
                    // a killed poller's hold on the project must expire quickly for the test
                    Map.entry("TRUFFLES_POLLER_POSTHOG_LEASE_TTL", "3S"));

            Process first = start(env, work.resolve("first.log"));
            try {
                await().atMost(Duration.ofMinutes(3)).until(() -> sessions(database) >= 30 || !first.isAlive());
                assertThat(first.isAlive()).as("first poller still running; log:\n%s", log("first.log")).isTrue();
            } finally {
                first.destroyForcibly();
                first.waitFor(30, TimeUnit.SECONDS);
            }
            long beforeRestart = sessions(database);
            assertThat(beforeRestart).isLessThan(120);

            Process second = start(env, work.resolve("second.log"));
            try {
                await().atMost(Duration.ofMinutes(4)).until(() -> sessions(database) == 120 || !second.isAlive());
                assertThat(sessions(database)).as("log:\n%s", log("second.log")).isEqualTo(120);
                // a few more polls: nothing more is fetched or created
                int blocksAfterAll = blockCalls(posthog).size();
                int listsAfterAll = listCalls(posthog).size();
                await().atMost(Duration.ofMinutes(1)).until(() -> listCalls(posthog).size() >= listsAfterAll + 3);
                assertThat(blockCalls(posthog)).hasSize(blocksAfterAll);
            } finally {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }

            assertThat(sessions(database)).isEqualTo(120);
            assertThat(new HashSet<>(database.documents().sessions().distinct("posthogSessionId", String.class)
                    .into(new HashSet<>()))).hasSize(120);
            // every recording downloaded once, except at most the one in flight when the poller was killed
            assertThat(blockCalls(posthog).size()).isBetween(120, 121);
            // the restarted poller resumed from the cursor rather than from the beginning
            assertThat(listCalls(posthog)).extracting(call -> call.queryParameter("date_from").firstValue())
                    .filteredOn(from -> !from.equals("-3d")).isNotEmpty();
        } finally {
            posthog.stop();
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private long sessions(TestDatabase database) {
        return database.documents().sessions().countDocuments(Filters.eq("status", "pending"));
    }

    private String log(String name) throws IOException {
        Path file = work.resolve(name);
        return Files.exists(file) ? Files.readString(file) : "(no log)";
    }

    private void stubPostHog(WireMockServer posthog, int count) throws IOException {
        String jsonl;
        try (InputStream in = getClass().getResourceAsStream("/recordings/checkout-rage-click.posthog.jsonl")) {
            jsonl = new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        }
        Instant longAgo = Instant.parse("2026-11-20T10:00:00Z");
        int pageSize = 50;
        for (int offset = 0; offset < count; offset += pageSize) {
            ObjectNode page = json.createObjectNode();
            ArrayNode results = page.putArray("results");
            for (int i = offset; i < Math.min(count, offset + pageSize); i++) {
                Instant start = longAgo.plusSeconds(i * 60L);
                ObjectNode recording = results.addObject();
                recording.put("id", String.format("killed-%03d", i));
                recording.put("distinct_id", "distinct-" + i);
                recording.put("start_time", start.toString());
                recording.put("end_time", start.plusSeconds(9).toString());
                recording.put("recording_duration", 9);
                recording.put("ongoing", false);
                recording.put("snapshot_source", "web");
            }
            page.put("has_next", offset + pageSize < count);
            // the same page whatever date_from says: the poller must not import twice what it is shown twice
            posthog.stubFor(get(urlPathEqualTo(BASE + "/")).withQueryParam("offset", equalTo(Integer.toString(offset)))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(asJson(page))));
        }
        posthog.stubFor(get(urlPathMatching(BASE + "/[^/]+/snapshots")).withQueryParam("source", absent())
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                        "{\"sources\":[{\"source\":\"blob_v2\",\"start_timestamp\":\"2026-11-20T10:00:00Z\","
                                + "\"end_timestamp\":\"2026-11-20T10:00:09Z\",\"blob_key\":\"0\"}]}")));
        // a little latency per download, as PostHog has, so the kill lands in the middle of the work
        posthog.stubFor(get(urlPathMatching(BASE + "/[^/]+/snapshots")).withQueryParam("source", equalTo("blob_v2"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/jsonl")
                        .withFixedDelay(100).withBody(jsonl)));
    }

    private static List<LoggedRequest> listCalls(WireMockServer posthog) {
        return posthog.findAll(getRequestedFor(urlPathEqualTo(BASE + "/")));
    }

    private static List<LoggedRequest> blockCalls(WireMockServer posthog) {
        return posthog.findAll(getRequestedFor(urlPathMatching(BASE + "/[^/]+/snapshots"))
                .withQueryParam("source", equalTo("blob_v2")));
    }

    private Process start(Map<String, String> env, Path log) throws IOException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertThat(jar).as("the packaged poller").exists();
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                jar.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("MONGODB") || name.startsWith("AWS_")
                || name.startsWith("S3_") || name.startsWith("POSTHOG") || name.endsWith("_PORT")
                || name.equals("INBOX_PATH"));
        environment.put("TRUFFLES_DATA_DIR", work.resolve("data").toString());
        environment.putAll(env);
        return builder.start();
    }

    private String asJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
