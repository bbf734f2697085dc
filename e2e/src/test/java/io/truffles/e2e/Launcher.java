package io.truffles.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./truffles} as an operator runs it, against a test's own data folder and free ports, with none of the
 * caller's Truffles settings: each call a fresh process in the repository's root.
 */
final class Launcher {
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

    private static final long LIMIT_SECONDS = 300;

    record Run(String command, int exitCode, String output) {
        String describe() {
            return "./truffles " + command + " exited " + exitCode + ":\n" + output;
        }
    }

    private final Path home;
    private final Path data;
    private final Map<String, Integer> ports;
    private final Map<String, String> settings;

    /** @param settings what this test's stack is configured with (the keys, URLs, folders an operator would set) */
    Launcher(Path data, Map<String, String> settings) throws IOException {
        this.home = Path.of(System.getProperty("truffles-home", "..")).toAbsolutePath().normalize();
        this.data = data;
        List<String> variables = new ArrayList<>(SERVICE_PORT_VARIABLES.values());
        variables.addAll(EMBEDDED_PORT_VARIABLES.values());
        this.ports = freePorts(variables);
        this.settings = Map.copyOf(settings);
    }

    Path home() {
        return home;
    }

    Map<String, Integer> ports() {
        return ports;
    }

    int port(String variable) {
        return ports.get(variable);
    }

    /** Runs {@code <home>/truffles <command>} as a fresh process against the test's data directory and ports. */
    Run run(String command) throws IOException, InterruptedException {
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
            env.putAll(settings);

            Process process = builder.start();
            boolean finished = process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(finished).as("./truffles %s still running after %ds:%n%s", command, LIMIT_SECONDS, text)
                    .isTrue();
            return new Run(command, process.exitValue(), text);
        } finally {
            Files.deleteIfExists(output);
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
