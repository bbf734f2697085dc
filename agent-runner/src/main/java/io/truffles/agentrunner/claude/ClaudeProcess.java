package io.truffles.agentrunner.claude;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.agentrunner.sandbox.ProcessTree;
import io.truffles.agentrunner.sandbox.SandboxLaunch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one CLI process to its end: hands every stdout line to {@code onLine} as it arrives (in order), keeps the
 * {@code result} line, and kills the whole process tree on timeout or when {@code stopRequested} turns true (checked
 * every {@link #STOP_CHECK}).
 */
public final class ClaudeProcess {
    static final Duration STOP_CHECK = Duration.ofMillis(500);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final int MAX_LINE_CHARS = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClaudeProcess() {
    }

    public static ClaudeRun run(SandboxLaunch launch, Duration timeout, BooleanSupplier stopRequested,
            Consumer<String> onLine) throws IOException, InterruptedException {
        Process process = launch.processBuilder().start();
        process.getOutputStream().close();
        ProcessTree tree = new ProcessTree(process);
        AtomicReference<ClaudeResult> result = new AtomicReference<>();
        StringBuilder stderr = new StringBuilder();
        Thread out = new Thread(() -> readLines(process, onLine, result), "claude-stdout-" + process.pid());
        Thread err = new Thread(() -> tail(process, stderr), "claude-stderr-" + process.pid());
        out.start();
        err.start();
        Instant deadline = Instant.now().plus(timeout);
        ClaudeRun.Ending ending = ClaudeRun.Ending.EXITED;
        while (!process.waitFor(STOP_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
            if (Instant.now().isAfter(deadline)) {
                ending = ClaudeRun.Ending.TIMED_OUT;
            } else if (stopRequested.getAsBoolean()) {
                ending = ClaudeRun.Ending.STOPPED;
            } else {
                continue;
            }
            tree.kill(KILL_GRACE);
            break;
        }
        out.join(5_000);
        err.join(1_000);
        int exit = process.isAlive() ? -1 : process.exitValue();
        return new ClaudeRun(ending == ClaudeRun.Ending.EXITED ? result.get() : null, exit, ending, stderr.toString());
    }

    private static void readLines(Process process, Consumer<String> onLine, AtomicReference<ClaudeResult> result) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String kept = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) : line;
                onLine.accept(kept);
                parseResult(kept).ifPresent(result::set);
            }
        } catch (IOException closed) {
            // the process was killed: what was read is kept
        }
    }

    static java.util.Optional<ClaudeResult> parseResult(String line) {
        if (!line.startsWith("{") || !line.contains("\"result\"")) {
            return java.util.Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(line);
            return "result".equals(node.path("type").asText()) ? java.util.Optional.of(ClaudeResult.from(node))
                    : java.util.Optional.empty();
        } catch (IOException notJson) {
            return java.util.Optional.empty();
        }
    }

    private static void tail(Process process, StringBuilder stderr) {
        try {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = process.getErrorStream().read(buffer)) >= 0) {
                synchronized (stderr) {
                    stderr.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (stderr.length() > 4000) {
                        stderr.delete(0, stderr.length() - 4000);
                    }
                }
            }
        } catch (IOException closed) {
            // the process ended
        }
    }
}
