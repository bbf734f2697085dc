package io.truffles.api.settings;

import io.truffles.api.ApiConfig;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Restarts the systemd units whose environment changed, with the configured command and the unit names appended.
 * The api's own unit is restarted last and after the answer went out: restarting it ends this process.
 */
@Singleton
public class UnitRestarter {
    private static final Logger LOG = Logger.getLogger(UnitRestarter.class);
    private static final long TIMEOUT_SECONDS = 60;

    private final List<String> command;

    UnitRestarter(ApiConfig config) {
        this.command = Arrays.stream(config.restartCommand().trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** What restarting reported: the units, whether the command succeeded, and its output for the admin. */
    public record Outcome(List<String> units, boolean succeeded, String output) {
    }

    public Outcome restart(List<String> units) {
        List<String> others = units.stream().filter(unit -> !unit.equals(EnvironmentKeys.API)).toList();
        Outcome outcome = others.isEmpty() ? new Outcome(List.of(), true, "") : run(others);
        if (units.contains(EnvironmentKeys.API)) {
            // after the response is written: a restart of this unit stops this very process
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> run(List.of(EnvironmentKeys.API)));
            List<String> all = new ArrayList<>(outcome.units());
            all.add(EnvironmentKeys.API);
            return new Outcome(all, outcome.succeeded(), outcome.output()
                    + (outcome.output().isEmpty() ? "" : "\n") + EnvironmentKeys.API + " restarts in 1 s");
        }
        return outcome;
    }

    private Outcome run(List<String> units) {
        List<String> full = new ArrayList<>(command);
        full.addAll(units);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            process.getOutputStream().close();
            boolean ended = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String output = new String(process.getInputStream().readNBytes(8192), StandardCharsets.UTF_8).strip();
            if (!ended) {
                process.destroyForcibly();
                LOG.warnf("Restarting %s did not finish within %d s", units, TIMEOUT_SECONDS);
                return new Outcome(units, false, "did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                LOG.warnf("Restarting %s failed (exit %d): %s", units, process.exitValue(), output);
            } else {
                LOG.infof("Restarted %s after an environment change", units);
            }
            return new Outcome(units, process.exitValue() == 0, output);
        } catch (IOException cannotRun) {
            LOG.warnf("Cannot run the restart command %s: %s", command, cannotRun.getMessage());
            return new Outcome(units, false, "cannot run " + String.join(" ", command) + ": " + cannotRun.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new Outcome(units, false, "interrupted");
        }
    }
}
