package io.truffles.core.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a command a readiness check depends on (a tool's {@code -version}, a sandbox that runs {@code true}) and keeps
 * the answer for a while ({@link #REUSE} by default), so a health endpoint polled every few seconds starts the tool
 * at most twice a minute. Empty means the command ran and exited 0; otherwise the problem in a few words (not found, exit code and
 * the last line it printed, or no answer in time).
 */
public final class CommandProbe {
    /** How long an answer is reused unless a probe says otherwise. */
    public static final Duration REUSE = Duration.ofSeconds(30);
    private static final Duration LIMIT = Duration.ofSeconds(15);

    private final Supplier<List<String>> command;
    private final Duration reuse;
    private final Clock clock;
    private Optional<String> problem = Optional.empty();
    private Instant askedAt = Instant.MIN;

    public CommandProbe(Supplier<List<String>> command, Duration reuse, Clock clock) {
        this.command = command;
        this.reuse = reuse;
        this.clock = clock;
    }

    public CommandProbe(List<String> command, Clock clock) {
        this(() -> command, REUSE, clock);
    }

    /** The problem, if the command did not run to a successful end (an answer is reused for a while). */
    public synchronized Optional<String> problem() {
        Instant now = clock.instant();
        if (now.isAfter(askedAt.plus(reuse)) || now.isBefore(askedAt)) {
            problem = run(command.get());
            askedAt = now;
        }
        return problem;
    }

    private static Optional<String> run(List<String> argv) {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException cannotStart) {
            return Optional.of(argv.get(0) + " cannot be started (" + cannotStart.getMessage() + ")");
        }
        try {
            // tools print a few lines; reading them to the end also waits for the exit
            byte[] output = process.getInputStream().readNBytes(64 * 1024);
            if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.of(argv.get(0) + " gave no answer within " + LIMIT.toSeconds() + " s");
            }
            if (process.exitValue() == 0) {
                return Optional.empty();
            }
            String said = new String(output, StandardCharsets.UTF_8).strip();
            String last = said.isEmpty() ? "" : ": " + said.substring(said.lastIndexOf('\n') + 1);
            return Optional.of(argv.get(0) + " exited " + process.exitValue() + last);
        } catch (IOException unreadable) {
            process.destroyForcibly();
            return Optional.of(argv.get(0) + " could not be read (" + unreadable.getMessage() + ")");
        } catch (InterruptedException interrupted) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.of(argv.get(0) + " was interrupted");
        }
    }
}
