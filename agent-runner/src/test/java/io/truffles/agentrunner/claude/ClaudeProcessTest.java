package io.truffles.agentrunner.claude;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.agentrunner.sandbox.SandboxLaunch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A stand-in process that floods stdout: the reader keeps draining it whatever the listener does. */
class ClaudeProcessTest {
    /** 200,000 lines (7 MB), one 3 MB line with no break for a long while, then the result. */
    static final String FLOOD = """
            yes '{"type":"assistant","message":"flooding the output"}' | head -n 200000
            head -c 3000000 /dev/zero | tr '\\0' x; echo
            echo '{"type":"result","subtype":"success","is_error":false,"total_cost_usd":0.25,"result":"done"}'
            """;

    private static ClaudeRun run(String script, java.util.function.Consumer<String> onLine) throws Exception {
        SandboxLaunch launch = new SandboxLaunch(List.of("/bin/sh", "-c", script), Map.of("PATH", "/usr/bin:/bin"),
                Path.of("").toAbsolutePath(), false);
        return ClaudeProcess.run(launch, Duration.ofSeconds(60), () -> false, onLine);
    }

    @Test
    void aFloodIsReadToItsEndWithALongLineCutAndTheResultParsed() throws Exception {
        AtomicInteger lines = new AtomicInteger();
        AtomicLong longest = new AtomicLong();

        ClaudeRun run = run(FLOOD, line -> {
            lines.incrementAndGet();
            longest.accumulateAndGet(line.length(), Math::max);
        });

        assertThat(run.ending()).isEqualTo(ClaudeRun.Ending.EXITED);
        assertThat(run.result()).isNotNull();
        assertThat(run.result().totalCostUsd()).isEqualTo(0.25);
        assertThat(lines.get()).isEqualTo(200_002);
        assertThat(longest.get()).as("the 3 MB line, cut").isEqualTo(1_000_000);
    }

    @Test
    void whenRecordingTheOutputFailsTheProcessIsStillDrainedToItsEndAndItsResultRead() throws Exception {
        AtomicInteger handed = new AtomicInteger();

        ClaudeRun run = run(FLOOD, line -> {
            if (handed.incrementAndGet() > 10) {
                throw new IllegalStateException("document too large");
            }
        });

        // a reader that died with the listener would leave the CLI blocked on a full pipe until the timeout
        assertThat(run.ending()).isEqualTo(ClaudeRun.Ending.EXITED);
        assertThat(run.exitCode()).isZero();
        assertThat(run.succeeded()).isTrue();
        assertThat(handed.get()).as("nothing handed on after the failure").isEqualTo(11);
    }
}
