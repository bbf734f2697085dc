package io.truffles.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.testing.MutableClock;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class CommandProbeTest {

    @Test
    void aCommandThatIsNotInstalledIsAProblemNamingIt() {
        CommandProbe probe = new CommandProbe(List.of("/nonexistent/tool", "-version"), Clock.systemUTC());

        assertThat(probe.problem()).hasValueSatisfying(problem ->
                assertThat(problem).startsWith("/nonexistent/tool cannot be started"));
    }

    @Test
    void aFailingCommandIsAProblemWithItsExitCodeAndLastLine() {
        CommandProbe probe = new CommandProbe(List.of("sh", "-c", "echo first; echo 'no display' >&2; exit 3"),
                Clock.systemUTC());

        assertThat(probe.problem()).contains("sh exited 3: no display");
    }

    @Test
    void anAnswerIsReusedUntilItIsOld() {
        MutableClock clock = MutableClock.startingNow();
        AtomicReference<List<String>> command = new AtomicReference<>(List.of("true"));
        CommandProbe probe = new CommandProbe(command::get, CommandProbe.REUSE, clock);
        assertThat(probe.problem()).isEmpty();

        command.set(List.of("false"));
        assertThat(probe.problem()).as("reused").isEmpty();
        clock.advance(CommandProbe.REUSE.plusSeconds(1));
        assertThat(probe.problem()).contains("false exited 1");
    }

    @Test
    void ffmpegMissingIsDownWithTheSentenceToInstallIt() {
        FfmpegReadiness missing = new FfmpegReadiness("/nonexistent/ffmpeg", Clock.systemUTC()) { };
        FfmpegReadiness installed = new FfmpegReadiness("ffmpeg", Clock.systemUTC()) { };

        HealthCheckResponse down = missing.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow().get("error").toString())
                .contains("/nonexistent/ffmpeg cannot be started", "apt-get install ffmpeg");
        assertThat(installed.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
