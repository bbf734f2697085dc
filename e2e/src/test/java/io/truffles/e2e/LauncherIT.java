package io.truffles.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    /** Service name to the variable that sets its HTTP port. */
    private static final Map<String, String> SERVICE_PORT_VARIABLES = orderedMap(
            "api", "PORT",
            "poller", "POLLER_PORT",
            "renderer", "RENDERER_PORT",
            "analyzer", "ANALYZER_PORT",
            "agent-runner", "AGENT_RUNNER_PORT");

    private static final Map<String, String> EMBEDDED_PORT_VARIABLES = orderedMap(
            "mongo", "EMBEDDED_MONGO_PORT",
            "s3", "EMBEDDED_S3_PORT");

    /** Settings a developer's shell may hold: the test must use the embedded servers and no outside service. */
    private static final List<String> CALLER_SETTINGS = List.of(
            "MONGODB_URI", "S3_ENDPOINT", "S3_PATH_STYLE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
            "S3_BUCKET", "POSTHOG_API_KEY", "POSTHOG_PROJECT_ID", "POSTHOG_HOST", "OPENROUTER_API_KEY",
            "ANTHROPIC_API_KEY", "GITHUB_TOKEN", "GITHUB_REPO", "ADMIN_PASSWORD", "REPO_CLONE_PATH",
            "WORKTREE_BASE_PATH", "INBOX_PATH", "TRUFFLES_JAVA_OPTS");

    private static final Duration LAUNCHER_LIMIT = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path data;

    private static Path home;
    private static Map<String, Integer> ports;
    private static Run up;

    private record Run(String command, int exitCode, String output) {
        String describe() {
            return "./truffles " + command + " exited " + exitCode + ":\n" + output;
        }
    }

    @BeforeAll
    static void upOnAnEmptyDataDirectory() throws Exception {
        home = Path.of(System.getProperty("truffles-home", "..")).toAbsolutePath().normalize();
        List<String> variables = new ArrayList<>(SERVICE_PORT_VARIABLES.values());
        variables.addAll(EMBEDDED_PORT_VARIABLES.values());
        ports = freePorts(variables);
        up = truffles("up");
    }

    @AfterAll
    static void downWhateverHappened() throws Exception {
        if (home != null && ports != null) {
            Run down = truffles("down");
            if (down.exitCode() != 0) {
                System.err.println(down.describe());
            }
        }
    }

    @Test
    @Order(1)
    void upStartsAllFiveServicesHealthyOnTheEmbeddedMongoAndS3() throws Exception {
        assertThat(up.exitCode()).as(up.describe()).isZero();
        assertThat(up.output()).contains("API: http://localhost:" + ports.get("PORT") + "/api/sessions");

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
        String api = "http://127.0.0.1:" + ports.get("PORT");
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
    }

    @Test
    @Order(3)
    void statusExitsZeroWhileEveryServiceIsHealthy() throws Exception {
        Run status = truffles("status");

        assertThat(status.exitCode()).as(status.describe()).isZero();
        for (String name : allNames()) {
            assertThat(status.output()).as(status.describe()).containsPattern("(?m)^" + name + "\\s.*running\\s+UP");
        }
    }

    @Test
    @Order(4)
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
    @Order(5)
    void downSucceedsAgainWhenNothingRuns() throws Exception {
        Run again = truffles("down");

        assertThat(again.exitCode()).as(again.describe()).isZero();
    }

    @Test
    @Order(6)
    void statusExitsThreeWhenTheServicesAreStopped() throws Exception {
        Run status = truffles("status");

        assertThat(status.exitCode()).as(status.describe()).isEqualTo(3);
        assertThat(status.output()).containsPattern("(?m)^api\\s.*stopped");
    }

    /** Runs {@code <home>/truffles <command>} as a fresh process against the test's data directory and ports. */
    private static Run truffles(String command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("truffles-" + command + "-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(home.resolve("truffles").toString(), command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = builder.environment();
            CALLER_SETTINGS.forEach(env::remove);
            ports.forEach((variable, port) -> env.put(variable, String.valueOf(port)));
            env.put("TRUFFLES_DATA_DIR", data.toString());
            env.put("TRUFFLES_ENV_FILE", data.resolve("no-such.env").toString()); // a developer's .env stays out
            env.put("TRUFFLES_NO_BUILD", "1"); // the reactor has just packaged every service
            env.put("TRUFFLES_START_TIMEOUT", "180");

            Process process = builder.start();
            boolean finished = process.waitFor(LAUNCHER_LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(finished).as("./truffles %s still running after %s:%n%s", command, LAUNCHER_LIMIT, text).isTrue();
            return new Run(command, process.exitValue(), text);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The pid files the launcher keeps, by process name. */
    private static Map<String, Long> pidFiles() throws IOException {
        Path run = data.resolve("run");
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

    private static boolean accepting(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static HttpResponse<String> get(String url) {
        return send(url, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(String url) {
        return send(url, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static <T> HttpResponse<T> send(String url, HttpResponse.BodyHandler<T> body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + url, e);
        }
    }

    /** Distinct free ports, one per variable: all are held open together so none is handed out twice. */
    private static Map<String, Integer> freePorts(List<String> variables) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            Map<String, Integer> chosen = new LinkedHashMap<>();
            for (String variable : variables) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                chosen.put(variable, socket.getLocalPort());
            }
            return chosen;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
