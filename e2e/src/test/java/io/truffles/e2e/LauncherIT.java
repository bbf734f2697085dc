package io.truffles.e2e;

import static io.truffles.e2e.TrufflesStack.EMBEDDED_PORT_VARIABLES;
import static io.truffles.e2e.TrufflesStack.SERVICE_PORT_VARIABLES;
import static io.truffles.e2e.TrufflesStack.accepting;
import static io.truffles.e2e.TrufflesStack.get;
import static io.truffles.e2e.TrufflesStack.getBytes;
import static io.truffles.e2e.TrufflesStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.e2e.TrufflesStack.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the stack the way an operator does: {@code ./truffles up} on an empty data directory with no MongoDB, S3 or
 * outside service configured (so on the embedded servers), then {@code ./truffles status} and {@code ./truffles down}.
 * The methods run in order, each proving one step of that life cycle; {@code down} runs at the end in any case.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {

    private static final String ADMIN_PASSWORD = "launcher-it-admin-password";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path data;

    private static TrufflesStack stack;
    private static Map<String, Integer> ports;
    private static Run up;

    @BeforeAll
    static void upOnAnEmptyDataDirectory() throws Exception {
        stack = TrufflesStack.on(data, Map.of("ADMIN_PASSWORD", ADMIN_PASSWORD));
        ports = stack.ports;
        up = truffles("up");
    }

    @AfterAll
    static void downWhateverHappened() throws Exception {
        if (stack != null) {
            stack.downQuietly();
        }
    }

    @Test
    @Order(1)
    void upStartsAllFiveServicesHealthyOnTheEmbeddedMongoAndS3() throws Exception {
        assertThat(up.exitCode()).as(up.describe()).isZero();
        assertThat(up.output()).contains("Dashboard: http://localhost:" + ports.get("PORT") + "/")
                .contains("API: http://localhost:" + ports.get("PORT") + "/api/sessions");

        SERVICE_PORT_VARIABLES.forEach((service, variable) -> {
            HttpResponse<String> health = get("http://127.0.0.1:" + ports.get(variable) + "/q/health");
            assertThat(health.statusCode()).as("%s /q/health: %s", service, health.body()).isEqualTo(200);
            assertThat(health.body()).as(service + " /q/health").containsPattern("\"status\"\\s*:\\s*\"UP\"");
        });
        assertThat(pidFiles()).containsOnlyKeys(allNames());
        EMBEDDED_PORT_VARIABLES.forEach((server, variable) ->
                assertThat(accepting(ports.get(variable))).as(server + " accepts connections").isTrue());
    }

    /**
     * The whole pipeline with no key at all: the poller copies its bundled sample (a real rrweb recording of a
     * checkout page whose save fails with a 500 and whose coupon button gets rage-clicked) into the inbox, the
     * renderer makes a video, the analyzer's detectors find the problems, and agents are queued for the red ones.
     */
    @Test
    @Order(2)
    void theBundledSampleRecordingBecomesAVideoAndIssuesWithAgentsQueuedForTheRedOnes() throws Exception {
        String api = stack.api();
        JsonNode listed = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                .until(() -> json(get(api + "/api/sessions?status=complete")).path("items"),
                        items -> items.size() > 0)
                .get(0);

        JsonNode session = json(get(api + "/api/sessions/" + listed.path("_id").asText()));
        assertThat(session.path("videoDuration").asDouble()).as(session.toString()).isGreaterThan(5.0);
        List<JsonNode> issues = new ArrayList<>();
        session.path("issues").forEach(issues::add);
        // one issue per problem: the save and its 500, the coupon button and the clicks it drew (analyzer incidents)
        assertThat(issues).extracting(issue -> issue.path("title").asText())
                .anySatisfy(title -> assertThat(title).contains("Save order").contains("POST /api/orders \u2192 500"))
                .anySatisfy(title -> assertThat(title).startsWith("Clicking").contains("Apply coupon"));
        long red = issues.stream().filter(issue -> issue.path("severity").asText().equals("red")).count();
        assertThat(session.path("issueCount").path("red").asLong()).isEqualTo(red);

        HttpResponse<byte[]> video = getBytes(session.path("videoUrl").asText());
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(new String(video.body(), 4, 4, StandardCharsets.US_ASCII)).as("an MP4's first box").isEqualTo("ftyp");
        HttpResponse<byte[]> thumbnail = getBytes(session.path("thumbnailUrl").asText());
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(thumbnail.body()).as("a JPEG's start of image").startsWith((byte) 0xFF, (byte) 0xD8);

        // no ANTHROPIC_API_KEY: the agents wait in the queue, one per red issue
        JsonNode agents = json(get(api + "/api/agents"));
        assertThat(agents.path("queue").size()).as(agents.toString()).isEqualTo((int) red);
        assertThat(agents.path("active").size()).as(agents.toString()).isZero();

        // each stage's service counted its part, in Prometheus' format on its own port
        assertThat(metrics("RENDERER_PORT"))
                .containsPattern("truffles_queue_completions_total\\{stage=\"render\"\\} [1-9]")
                .containsPattern("truffles_render_speedup_ratio_count [1-9]");
        assertThat(metrics("ANALYZER_PORT"))
                .containsPattern("truffles_queue_completions_total\\{stage=\"analyze\"\\} [1-9]");
        // no REPO_CLONE_PATH here, so the agent-runner claims nothing and has no queue meters yet
        assertThat(metrics("AGENT_RUNNER_PORT")).contains("jvm_memory_used_bytes");
        assertThat(metrics("PORT")).contains("truffles_ws_clients");
        assertThat(metrics("POLLER_PORT")).contains("jvm_memory_used_bytes");
    }

    private static String metrics(String portVariable) {
        HttpResponse<String> metrics = get("http://127.0.0.1:" + ports.get(portVariable) + "/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body();
    }

    /**
     * A setting saved through the api under {@code ./truffles up} restarts the service that reads it through the
     * launcher's own {@code truffles restart}: a new poller process, healthy, whose environment holds the new value.
     */
    @Test
    @Order(3)
    void aSecretSavedThroughTheApiRestartsTheServiceThatReadsIt() throws Exception {
        long before = pidFiles().get("poller");
        HttpRequest save = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ports.get("PORT") + "/api/settings/secrets"))
                .header("Authorization", "Bearer " + ADMIN_PASSWORD)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString("{\"POSTHOG_HOST\": \"https://eu.posthog.com\"}"))
                .build();

        HttpResponse<String> saved = HTTP.send(save, HttpResponse.BodyHandlers.ofString());

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(saved.body());
        assertThat(answer.path("restartedUnits").toString()).isEqualTo("[\"truffles-poller\"]");
        assertThat(answer.path("restartSucceeded").asBoolean()).as(saved.body()).isTrue();
        long after = pidFiles().get("poller");
        assertThat(after).isNotEqualTo(before);
        assertThat(alive(before)).isFalse();
        assertThat(Files.readString(Path.of("/proc/" + after + "/environ")).split("\0"))
                .contains("POSTHOG_HOST=https://eu.posthog.com");
        HttpResponse<String> health = get("http://127.0.0.1:" + ports.get("POLLER_PORT") + "/q/health");
        assertThat(health.body()).containsPattern("\"status\"\\s*:\\s*\"UP\"");
    }

    /**
     * {@code status} tells each service's last restart and why: the poller's by {@code restart} (the api's, above),
     * then, once its JVM is SIGKILLed, that it died so, and after {@code ./truffles restart poller} the new process
     * with that reason; a service never restarted shows none.
     */
    @Test
    @Order(4)
    void statusShowsEachServicesLastRestartAndWhyKilledOrByRestart() throws Exception {
        Run before = truffles("status");
        assertThat(before.output()).as(before.describe())
                .containsPattern("(?m)^poller\\s.*running\\s+UP\\s+\\S+Z by restart$")
                .containsPattern("(?m)^renderer\\s.*running\\s+UP\\s+—$");
        ProcessHandle jvm = ProcessHandle.of(pidFiles().get("poller")).orElseThrow().children()
                .filter(child -> child.info().command().orElse("").endsWith("java")).findFirst().orElseThrow();

        assertThat(jvm.destroyForcibly()).isTrue(); // SIGKILL, as the OOM killer or kill -9 would
        await().atMost(Duration.ofSeconds(20)).until(() -> !jvm.isAlive());
        Run dead = await().atMost(Duration.ofSeconds(20)).until(() -> truffles("status"),
                status -> status.output().contains("died"));
        assertThat(dead.exitCode()).isEqualTo(3);
        assertThat(dead.output()).as(dead.describe())
                .containsPattern("(?m)^poller\\s.*died\\s.*now killed \\(SIGKILL\\)");
        Run restart = stack.truffles("restart", "poller");
        assertThat(restart.exitCode()).as(restart.describe()).isZero();

        Run after = truffles("status");
        assertThat(after.exitCode()).as(after.describe()).isZero();
        assertThat(after.output()).as(after.describe())
                .containsPattern("(?m)^poller\\s.*running\\s+UP\\s+\\S+Z killed \\(SIGKILL\\)$");
    }

    @Test
    @Order(5)
    void statusExitsZeroWhileEveryServiceIsHealthy() throws Exception {
        Run status = truffles("status");

        assertThat(status.exitCode()).as(status.describe()).isZero();
        for (String name : allNames()) {
            assertThat(status.output()).as(status.describe()).containsPattern("(?m)^" + name + "\\s.*running\\s+UP");
        }
    }

    @Test
    @Order(6)
    void downStopsEveryProcessUpStartedAndFreesEveryPort() throws Exception {
        Map<String, Long> pids = pidFiles();
        assertThat(pids).containsOnlyKeys(allNames());
        // what the services started themselves: the renderer's warm Chromium and its Playwright driver, at least
        Map<Long, String> children = pids.values().stream().flatMap(pid -> ProcessHandle.of(pid).stream())
                .flatMap(ProcessHandle::descendants)
                .collect(Collectors.toMap(ProcessHandle::pid, child -> child.info().command().orElse("?")));
        assertThat(children.values()).as("processes below the services").anyMatch(command -> command.contains("chrom"));

        Run down = truffles("down");

        assertThat(down.exitCode()).as(down.describe()).isZero();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(pids).allSatisfy((name, pid) -> assertThat(alive(pid)).as(name + " pid " + pid).isFalse());
            assertThat(children).allSatisfy((pid, command) -> assertThat(alive(pid)).as(command + " pid " + pid)
                    .isFalse());
            assertThat(ports).allSatisfy((variable, port) ->
                    assertThat(accepting(port)).as(variable + " " + port + " still accepts connections").isFalse());
        });
        assertThat(pidFiles()).isEmpty();
    }

    @Test
    @Order(7)
    void downSucceedsAgainWhenNothingRuns() throws Exception {
        Run again = truffles("down");

        assertThat(again.exitCode()).as(again.describe()).isZero();
    }

    @Test
    @Order(8)
    void statusExitsThreeWhenTheServicesAreStopped() throws Exception {
        Run status = truffles("status");

        assertThat(status.exitCode()).as(status.describe()).isEqualTo(3);
        assertThat(status.output()).containsPattern("(?m)^api\\s.*stopped");
    }

    private static Run truffles(String command) throws Exception {
        return stack.truffles(command);
    }

    /** The pid files the launcher keeps, by process name. */
    private static Map<String, Long> pidFiles() throws IOException {
        Path run = stack.data.resolve("run");
        if (!Files.isDirectory(run)) {
            return Map.of();
        }
        try (Stream<Path> files = Files.list(run)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".pid"))
                    .collect(Collectors.toMap(
                            file -> file.getFileName().toString().replaceFirst("\\.pid$", ""),
                            file -> {
                                try {
                                    return Long.parseLong(Files.readString(file).trim());
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }));
        }
    }

    private static List<String> allNames() {
        List<String> names = new ArrayList<>(SERVICE_PORT_VARIABLES.keySet());
        names.addAll(EMBEDDED_PORT_VARIABLES.keySet());
        return names;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
