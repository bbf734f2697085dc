package io.truffles.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.truffles.core.embedded.EmbeddedMongo;
import io.truffles.core.embedded.EmbeddedS3;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** How a packaged service starts when its configuration is wrong or MongoDB is not there yet. */
class ServiceStartupIT {
    private static final Path HOME = Path.of(System.getProperty("truffles-home", ".."));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    @Test
    void aMalformedVariableStopsTheServiceWithOneLineNamingIt() throws Exception {
        Path log = work.resolve("api.log");
        Process api = start("api", log, Map.of("PORT", Integer.toString(freePort()),
                "MAX_CONCURRENT_AGENTS", "lots"));

        assertThat(api.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(api.exitValue()).isEqualTo(2);
        assertThat(Files.readAllLines(log)).containsExactly(
                "truffles-api: MAX_CONCURRENT_AGENTS='lots' is not valid: expected a whole number from 0 to 50.");
    }

    /** The poller (indexes, settings, its sources) and a queue worker service (the analyzer's claim loop too). */
    @ParameterizedTest
    @CsvSource({"poller, POLLER_PORT", "analyzer, ANALYZER_PORT"})
    void anUnreachableMongoIsRetriedAndReportedInHealthUntilItComes(String service, String portVariable)
            throws Exception {
        int mongoPort = freePort();
        int httpPort = freePort();
        Path log = work.resolve(service + ".log");
        try (EmbeddedS3 s3 = EmbeddedS3.start(Files.createDirectories(work.resolve("s3")), 0)) {
            Process process = start(service, log, Map.of(
                    portVariable, Integer.toString(httpPort),
                    "MONGODB_URI", "mongodb://127.0.0.1:" + mongoPort + "/truffles",
                    "S3_ENDPOINT", s3.endpoint(),
                    "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY));
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> healthStatus(httpPort) == 503);
                assertThat(healthBody(httpPort)).contains("DOWN");
                assertThat(process.isAlive()).isTrue();

                try (EmbeddedMongo mongo = EmbeddedMongo.onFile(work.resolve("mongo/truffles.mv"), mongoPort)) {
                    await().atMost(Duration.ofSeconds(90)).until(() -> healthStatus(httpPort) == 200);
                    assertThat(process.isAlive()).isTrue();
                }
            } finally {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        List<String> lines = Files.readAllLines(log);
        Map<String, Long> outages = lines.stream().filter(line -> line.contains("MongoDB unreachable"))
                .collect(Collectors.groupingBy(line -> line.replaceAll("^[^\\[]*\\[([^\\]]+)\\].*", "$1"),
                        Collectors.counting()));
        assertThat(outages).as("the outage is said, once per part that waits for MongoDB").isNotEmpty()
                .allSatisfy((part, times) -> assertThat(times).as(part).isEqualTo(1));
        assertThat(lines).as("no stack traces, only sentences").noneMatch(line -> line.matches("\\s+at [\\w.$]+\\(.*"));
    }

    /** The health endpoint's status, or -1 while nothing answers on the port. */
    private int healthStatus(int port) {
        try {
            return http.send(healthRequest(port), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notListeningYet) {
            return -1;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    private String healthBody(int port) throws Exception {
        return http.send(healthRequest(port), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpRequest healthRequest(int port) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health"))
                .timeout(Duration.ofSeconds(10)).build();
    }

    private Process start(String service, Path log, Map<String, String> env) throws IOException {
        Path jar = HOME.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("packaged %s", service).exists();
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                jar.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("MONGODB") || name.startsWith("AWS_")
                || name.startsWith("S3_") || name.endsWith("_PORT") || name.equals("PORT"));
        environment.put("TRUFFLES_DATA_DIR", work.resolve("data").toString());
        environment.putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
