package io.truffles.api.settings;

import io.truffles.api.ApiConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Restarts the systemd units whose environment changed, with the configured command and one unit appended per run, so
 * the admin learns which unit restarted and which did not (one command for all would say only "some failed").
 * The api's own unit is restarted last and after the answer went out: restarting it ends this process.
 */
@Singleton
public class UnitRestarter {
    private static final Logger LOG = Logger.getLogger(UnitRestarter.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Output kept for the admin; the rest is read and dropped, so a chatty command never blocks on a full pipe. */
    private static final int MAX_OUTPUT = 8192;
    /** How long the output may still take once the command ended (a child it started may hold the pipe). */
    private static final Duration OUTPUT_AFTER_EXIT = Duration.ofSeconds(5);

    private final List<String> command;
    private final Duration timeout;

    @Inject
    UnitRestarter(ApiConfig config) {
        this(config.restartCommand(), TIMEOUT);
    }

    UnitRestarter(String command, Duration timeout) {
        this.command = Arrays.stream(command.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        this.timeout = timeout;
    }

    /** How one unit's restart went; {@code scheduled} is the api's own, 1 s after the answer. */
    public enum RestartState {
        restarted, failed, scheduled
    }

    public record UnitRestart(String unit, RestartState state, String output) {
    }

    /** Each unit's own result; the rest is read from them for the admin. */
    public record Outcome(List<UnitRestart> perUnit) {
        public List<String> units() {
            return perUnit.stream().map(UnitRestart::unit).toList();
        }

        public boolean succeeded() {
            return perUnit.stream().noneMatch(result -> result.state() == RestartState.failed);
        }

        /** Every run's output, one after another. */
        public String output() {
            return String.join("\n", perUnit.stream().map(UnitRestart::output).filter(text -> !text.isEmpty())
                    .toList());
        }
    }

    public Outcome restart(List<String> units) {
        List<UnitRestart> perUnit = new ArrayList<>();
        for (String unit : units) {
            if (!unit.equals(EnvironmentKeys.API)) {
                perUnit.add(run(unit));
            }
        }
        if (units.contains(EnvironmentKeys.API)) {
            // after the response is written: a restart of this unit stops this very process
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> run(EnvironmentKeys.API));
            perUnit.add(new UnitRestart(EnvironmentKeys.API, RestartState.scheduled,
                    EnvironmentKeys.API + " restarts in 1 s"));
        }
        return new Outcome(List.copyOf(perUnit));
    }

    private UnitRestart run(String unit) {
        List<String> full = new ArrayList<>(command);
        full.add(unit);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            process.getOutputStream().close();
            // read while the command runs: one that writes more than the pipe holds (64 KB) waits for a reader
            FutureTask<String> output = new FutureTask<>(() -> firstBytes(process.getInputStream()));
            Thread reader = new Thread(output, "restart-output");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                LOG.warnf("Restarting %s did not finish within %d s", unit, timeout.toSeconds());
                return new UnitRestart(unit, RestartState.failed,
                        "did not finish within " + timeout.toSeconds() + " s");
            }
            String text = outputOf(output);
            if (process.exitValue() != 0) {
                LOG.warnf("Restarting %s failed (exit %d): %s", unit, process.exitValue(), text);
            } else {
                LOG.infof("Restarted %s after an environment change", unit);
            }
            return new UnitRestart(unit, process.exitValue() == 0 ? RestartState.restarted : RestartState.failed,
                    text);
        } catch (IOException cannotRun) {
            LOG.warnf("Cannot run the restart command %s: %s", command, cannotRun.getMessage());
            return new UnitRestart(unit, RestartState.failed,
                    "cannot run " + String.join(" ", command) + ": " + cannotRun.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new UnitRestart(unit, RestartState.failed, "interrupted");
        }
    }

    private static String outputOf(FutureTask<String> output) throws InterruptedException {
        try {
            return output.get(OUTPUT_AFTER_EXIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException unread) {
            // the command ended, but a child it started still holds its output open
            return "(output not readable: " + unread.getMessage() + ")";
        }
    }

    /** The first {@link #MAX_OUTPUT} bytes of the stream as text; reads to its end. */
    private static String firstBytes(InputStream stream) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (stream) {
            for (int read = stream.read(buffer); read >= 0; read = stream.read(buffer)) {
                kept.write(buffer, 0, Math.max(0, Math.min(read, MAX_OUTPUT - kept.size())));
            }
        } catch (IOException closed) {
            // the process was killed; what was read is still worth showing
        }
        return kept.toString(StandardCharsets.UTF_8).strip();
    }
}
