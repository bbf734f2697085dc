package io.truffles.agentrunner.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged agent-runner ({@code target/quarkus-app/quarkus-run.jar}, built before failsafe runs) in its own JVM:
 * the service exactly as it ships, for tests about the process — how many agents it runs at once, and what a kill in
 * the middle of an agent leaves. Configured through system properties only; its output goes to a log file.
 */
final class PackagedRunner implements AutoCloseable {
    private final Process process;
    private final Path log;

    private PackagedRunner(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static PackagedRunner start(Path work, String name, Map<String, String> properties) throws IOException {
        return start(work, name, properties, Path.of("").toAbsolutePath());
    }

    /** Started in {@code directory} (the launcher starts services from the repository's root). */
    static PackagedRunner start(Path work, String name, Map<String, String> properties, Path directory)
            throws IOException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertThat(jar).as("the packaged agent-runner").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dquarkus.http.port=0", "-Dquarkus.log.level=INFO", "-Dtruffles.data-dir=" + work.resolve("data")));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = work.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // nothing of the machine's own Truffles settings leaks into the runner under test
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", System.getProperty("user.home"));
        builder.environment().put("LANG", "C.UTF-8");
        return new PackagedRunner(builder.start(), log);
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    boolean started() {
        return log().contains("started in");
    }

    /** The readiness check named {@code name}, from the runner's own {@code /q/health/ready}. */
    com.fasterxml.jackson.databind.JsonNode readiness(String name) throws Exception {
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("Listening on: http://[^:]+:(\\d+)")
                .matcher(log());
        assertThat(port.find()).as("the runner's port in its log:%n%s", log()).isTrue();
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port.group(1)
                        + "/q/health/ready")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        for (com.fasterxml.jackson.databind.JsonNode check : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(response.body()).path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no readiness check " + name + " in " + response.body());
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, the lease is simply no longer renewed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
