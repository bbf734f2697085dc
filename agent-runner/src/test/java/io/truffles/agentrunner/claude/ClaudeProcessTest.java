package io.truffles.agentrunner.claude;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.agentrunner.sandbox.SandboxLaunch;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    @Test
    void anInterruptKillsTheWholeTreeAndWaitsForItBeforeLettingTheCallerCleanUp() throws Exception {
        String marker = "/truffles-interrupt-test-" + java.util.UUID.randomUUID();
        // a child deaf to SIGTERM that keeps writing: what a removed worktree must not have under it
        String script = "trap '' TERM; (trap '' TERM; while :; do sleep 0.05; done) & "
                + "(trap '' TERM; while :; do sleep 0.05; done) & echo '{\"type\":\"system\"}'; wait";
        SandboxLaunch launch = new SandboxLaunch(List.of("/bin/sh", "-c", script),
                Map.of("PATH", "/usr/bin:/bin", "MARKER", marker), Path.of("").toAbsolutePath(), false);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread job = new Thread(() -> {
            try {
                ClaudeProcess.run(launch, Duration.ofMinutes(5), () -> false, line -> started.countDown());
                thrown.complete(null);
            } catch (Throwable t) {
                // what the caller sees, and the moment it sees it: nothing of the tree may be left then
                thrown.complete(TestAgentUser.processesUnder(Path.of(marker)).isEmpty() ? t
                        : new AssertionError("processes still running when the interrupt came through: "
                                + TestAgentUser.processesUnder(Path.of(marker))));
            }
        });
        job.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(TestAgentUser.processesUnder(Path.of(marker))).hasSizeGreaterThanOrEqualTo(3);

        job.interrupt();

        Throwable result = thrown.get(30, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(InterruptedException.class);
        assertThat(TestAgentUser.processesUnder(Path.of(marker))).isEmpty();
    }
}
