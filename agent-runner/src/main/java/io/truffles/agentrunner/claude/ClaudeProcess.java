package io.truffles.agentrunner.claude;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.agentrunner.sandbox.ProcessTree;
import io.truffles.agentrunner.sandbox.SandboxLaunch;
import io.truffles.core.json.JsonMapping;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs one CLI process to its end: hands every stdout line to {@code onLine} as it arrives (in order), keeps the
 * {@code result} line, and kills the whole process tree on timeout or when {@code stopRequested} turns true (checked
 * every {@link #STOP_CHECK}).
 */
public final class ClaudeProcess {
    static final Duration STOP_CHECK = Duration.ofMillis(500);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final int MAX_LINE_CHARS = 1_000_000;
    private static final ObjectMapper JSON = JsonMapping.shared();
    private static final Logger LOG = Logger.getLogger(ClaudeProcess.class);

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
        // a duration, not a moment: measured on the monotonic clock
        long deadline = System.nanoTime() + timeout.toNanos();
        ClaudeRun.Ending ending = ClaudeRun.Ending.EXITED;
        while (!waitFor(process, tree)) {
            if (System.nanoTime() - deadline > 0) {
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

    /**
     * Waits one {@link #STOP_CHECK} for the process to end. Interrupted — the job's lease was lost, or the runner is
     * shutting down — it kills the whole tree and waits until it is gone before it lets the interrupt through, so the
     * caller's clean-up (the worktree's removal) never runs while the agent still writes into it.
     */
    private static boolean waitFor(Process process, ProcessTree tree) throws InterruptedException {
        try {
            return process.waitFor(STOP_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            if (!tree.kill(Duration.ZERO)) {
                LOG.errorf("Agent process %d: part of its tree outlived SIGKILL for %s", process.pid(),
                        ProcessTree.DEATH_WAIT);
            }
            throw interrupted;
        }
    }

    /**
     * Reads stdout to its end whatever happens, so the CLI never blocks on a full pipe: a line longer than
     * {@link #MAX_LINE_CHARS} is cut (the rest read and dropped, never held), and when {@code onLine} fails (its
     * store refused the write) the lines are still read and the result still parsed, only no longer handed on.
     */
    private static void readLines(Process process, Consumer<String> onLine, AtomicReference<ClaudeResult> result) {
        boolean delivering = true;
        try (Reader reader = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            StringBuilder line = new StringBuilder();
            int n;
            while ((n = reader.read(buffer)) >= 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != '\n') {
                        continue;
                    }
                    append(line, buffer, start, i);
                    delivering = deliver(line.toString(), onLine, result, delivering);
                    line.setLength(0);
                    start = i + 1;
                }
                append(line, buffer, start, n);
            }
            if (!line.isEmpty()) {
                deliver(line.toString(), onLine, result, delivering);
            }
        } catch (IOException closed) {
            // the process was killed: what was read is kept
        }
    }

    private static void append(StringBuilder line, char[] buffer, int from, int to) {
        int room = MAX_LINE_CHARS - line.length();
        if (room > 0) {
            line.append(buffer, from, Math.min(to - from, room));
        }
    }

    /** Returns whether later lines are still to be handed on. */
    private static boolean deliver(String line, Consumer<String> onLine, AtomicReference<ClaudeResult> result,
            boolean delivering) {
        if (line.isBlank()) {
            return delivering;
        }
        parseResult(line).ifPresent(result::set);
        if (!delivering) {
            return false;
        }
        try {
            onLine.accept(line);
            return true;
        } catch (RuntimeException e) {
            LOG.errorf("Recording the agent's output failed (%s); its later output is read but not recorded",
                    e.getMessage());
            return false;
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
