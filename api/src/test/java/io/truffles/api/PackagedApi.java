package io.truffles.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged api ({@code target/quarkus-app}) as its own process, for tests that kill and restart it. */
public final class PackagedApi {
    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PackagedApi() {
    }

    /**
     * Starts it in {@code work} on {@code port} with {@code env} (over a cleared database and storage environment)
     * and {@code jvmArgs}; returns once its health check answers 200.
     */
    public static Process start(Path work, Map<String, String> env, Path log, int port, String... jvmArgs)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("MONGODB") || name.startsWith("AWS_")
                || name.startsWith("S3_") || name.endsWith("_PORT") || name.equals("PORT"));
        builder.environment().put("TRUFFLES_DATA_DIR", work.resolve("data").toString());
        builder.environment().putAll(env);
        Process api = builder.start();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health"))
                .timeout(Duration.ofSeconds(10)).build();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(api.isAlive()).as("api running; its log: %s", log).isTrue();
            try {
                return HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        return api;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
