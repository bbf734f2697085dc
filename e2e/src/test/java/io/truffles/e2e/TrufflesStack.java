package io.truffles.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * The stack as {@code ./truffles} runs it, for tests: the launcher on free ports, its own data directory, no MongoDB,
 * S3 or outside service from the caller's shell or {@code .env} (so the embedded servers), and the HTTP helpers the
 * tests read it with.
 */
final class TrufflesStack {

    /** Service name to the variable that sets its HTTP port. */
    static final Map<String, String> SERVICE_PORT_VARIABLES = orderedMap(
            "api", "PORT",
            "poller", "POLLER_PORT",
            "renderer", "RENDERER_PORT",
            "analyzer", "ANALYZER_PORT",
            "agent-runner", "AGENT_RUNNER_PORT");

    static final Map<String, String> EMBEDDED_PORT_VARIABLES = orderedMap(
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

    /** One run of the launcher. */
    record Run(String command, int exitCode, String output) {
        String describe() {
            return "./truffles " + command + " exited " + exitCode + ":\n" + output;
        }
    }

    final Path home;
    final Path data;
    final Map<String, Integer> ports;
    private final Map<String, String> settings;

    private TrufflesStack(Path home, Path data, Map<String, Integer> ports, Map<String, String> settings) {
        this.home = home;
        this.data = data;
        this.ports = ports;
        this.settings = Map.copyOf(settings);
    }

    /** A stack (not started) on free ports with {@code data} as its data directory. */
    static TrufflesStack on(Path data) throws IOException {
        return on(data, Map.of());
    }

    /**
     * The same, configured with {@code settings}: the keys, URLs and folders an operator would set (they win over
     * everything else the launcher is given).
     */
    static TrufflesStack on(Path data, Map<String, String> settings) throws IOException {
        Path home = Path.of(System.getProperty("truffles-home", "..")).toAbsolutePath().normalize();
        List<String> variables = new ArrayList<>(SERVICE_PORT_VARIABLES.values());
        variables.addAll(EMBEDDED_PORT_VARIABLES.values());
        return new TrufflesStack(home, data, freePorts(variables), settings);
    }

    int port(String variable) {
        return ports.get(variable);
    }

    /** The api's address, e.g. {@code http://127.0.0.1:41234}. */
    String api() {
        return "http://127.0.0.1:" + ports.get("PORT");
    }

    /** The inbox folder the poller reads (no PostHog key): the launcher's default under the data directory. */
    Path inbox() {
        return data.resolve("inbox");
    }

    /** Runs {@code <home>/truffles <command> [args]} as a fresh process on this stack's data directory and ports. */
    Run truffles(String command, String... args) throws IOException, InterruptedException {
        Path output = Files.createTempFile("truffles-" + command + "-", ".out");
        try {
            List<String> argv = new ArrayList<>(List.of(home.resolve("truffles").toString(), command));
            argv.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(argv)
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
            env.putAll(settings);

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

    /** {@code ./truffles down}, telling what went wrong rather than throwing: for an {@code @AfterAll}. */
    void downQuietly() throws IOException, InterruptedException {
        Run down = truffles("down");
        if (down.exitCode() != 0) {
            System.err.println(down.describe());
        }
    }

    static boolean accepting(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    static HttpResponse<String> get(String url) {
        return send(url, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(String url) {
        return send(url, HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
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
