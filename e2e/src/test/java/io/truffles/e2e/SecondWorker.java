package io.truffles.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One more instance of a worker service beside the launcher's, as a second host would run it: the same jar, JVM
 * options and environment (so the same database, bucket and outside services), only its own HTTP port. Stopped with
 * SIGTERM and its process tree waited for.
 */
final class SecondWorker implements AutoCloseable {
    final String service;
    final int port;
    final Process process;

    private SecondWorker(String service, int port, Process process) {
        this.service = service;
        this.port = port;
        this.process = process;
    }

    /** Starts a copy of the launcher's {@code service} and waits until it is healthy. */
    static SecondWorker beside(StoodInStack flow, String service) throws Exception {
        ProcessHandle first = flow.jvm(service);
        Map<String, String> environment = environmentOf(first.pid());
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        environment.put(TrufflesStack.SERVICE_PORT_VARIABLES.get(service), Integer.toString(port));
        List<String> command = new ArrayList<>();
        command.add(first.info().command().orElseThrow());
        command.addAll(List.of(first.info().arguments().orElseThrow()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(flow.stack.home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(flow.data.resolve("logs").resolve(service + "-2.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        SecondWorker worker = new SecondWorker(service, port, builder.start());
        // a health request that times out is a service not ready yet: on a loaded machine (load 36 beside four other
        // builds) a starting JVM took over the client's 10 s to answer, which failed ScaleOutIT before it began
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class).until(() ->
                TrufflesStack.accepting(port) && TrufflesStack.get("http://127.0.0.1:" + port + "/q/health")
                        .body().matches("(?s).*\"status\"\\s*:\\s*\"UP\".*"));
        return worker;
    }

    /** This instance's count of finished jobs of {@code stage}, from its Prometheus metrics. */
    static long completions(int port, String stage) {
        String metrics = TrufflesStack.get("http://127.0.0.1:" + port + "/q/metrics").body();
        return metrics.lines().filter(line -> line.startsWith("truffles_queue_completions_total{stage=\"" + stage
                + "\"}")).mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static Map<String, String> environmentOf(long pid) throws IOException {
        Map<String, String> environment = new java.util.HashMap<>();
        String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                StandardCharsets.UTF_8);
        for (String pair : raw.split("\0")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                environment.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return environment;
    }

    @Override
    public void close() throws Exception {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
