package io.truffles.api.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.api.settings.UnitRestarter.RestartState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitRestarterTest {
    @TempDir
    Path directory;

    /** A restart command that prints {@code bytes} bytes before naming its units, then exits with {@code exit}. */
    private String command(int bytes, int exit) throws Exception {
        Path script = directory.resolve("restart.sh");
        Files.writeString(script, "#!/bin/sh\nhead -c " + bytes + " /dev/zero | tr '\\0' 'x'\necho\n"
                + "echo \"restarted $*\"\nexit " + exit + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script.toString();
    }

    @Test
    void aCommandWritingFarMoreThanThePipeHoldsFinishesAndItsOutputIsCut() throws Exception {
        // 1 MB: without a reader while it runs the command blocks on the full pipe until the timeout kills it
        UnitRestarter restarter = new UnitRestarter(command(1_000_000, 0), Duration.ofSeconds(30));
        long started = System.nanoTime();
        UnitRestarter.Outcome outcome = restarter.restart(List.of(EnvironmentKeys.ANALYZER));
        assertThat(outcome.succeeded()).as(outcome.output()).isTrue();
        assertThat(outcome.units()).containsExactly(EnvironmentKeys.ANALYZER);
        assertThat(outcome.output()).startsWith("xxxx").hasSizeLessThanOrEqualTo(8192);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aFailingCommandReportsItsOutput() throws Exception {
        UnitRestarter.Outcome outcome = new UnitRestarter(command(10, 3), Duration.ofSeconds(30))
                .restart(List.of(EnvironmentKeys.POLLER, EnvironmentKeys.AGENT_RUNNER));
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.output()).contains("restarted truffles-poller").endsWith("restarted truffles-agent-runner");
    }

    @Test
    void eachUnitIsRestartedByItsOwnRunAndReportedOnItsOwn() throws Exception {
        // a command that can restart the poller but not the agent runner
        Path script = directory.resolve("some.sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "if [ \"$1\" = truffles-agent-runner ]; then echo \"no such unit $1\"; exit 5; fi\n"
                + "echo \"restarted $*\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        UnitRestarter.Outcome outcome = new UnitRestarter(script.toString(), Duration.ofSeconds(30))
                .restart(List.of(EnvironmentKeys.POLLER, EnvironmentKeys.AGENT_RUNNER, EnvironmentKeys.API));
        assertThat(outcome.perUnit()).containsExactly(
                new UnitRestarter.UnitRestart(EnvironmentKeys.POLLER, RestartState.restarted,
                        "restarted truffles-poller"),
                new UnitRestarter.UnitRestart(EnvironmentKeys.AGENT_RUNNER, RestartState.failed,
                        "no such unit truffles-agent-runner"),
                new UnitRestarter.UnitRestart(EnvironmentKeys.API, RestartState.scheduled,
                        "truffles-api restarts in 1 s"));
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.units()).containsExactly(EnvironmentKeys.POLLER, EnvironmentKeys.AGENT_RUNNER,
                EnvironmentKeys.API);
    }

    @Test
    void aCommandThatHangsIsStoppedAtTheTimeout() throws Exception {
        Path script = directory.resolve("hang.sh");
        Files.writeString(script, "#!/bin/sh\nexec sleep 600\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        UnitRestarter.Outcome outcome = new UnitRestarter(script.toString(), Duration.ofSeconds(1))
                .restart(List.of(EnvironmentKeys.POLLER));
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.output()).isEqualTo("did not finish within 1 s");
    }
}
