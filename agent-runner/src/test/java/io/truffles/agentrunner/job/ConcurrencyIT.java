package io.truffles.agentrunner.job;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.UpdateOptions;
import io.truffles.agentrunner.sandbox.ProcessTree;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Settings;
import io.truffles.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The packaged runner with a stand-in for the CLI that blocks until the test releases it (the test is about how many
 * agent processes run, not about what they do): the live {@code maxConcurrentAgents} bounds them, and raising it in
 * the settings document starts more within seconds, without a restart.
 */
class ConcurrencyIT {

    @Test
    void neverMoreAgentsRunThanMaxConcurrentAgentsAndRaisingItStartsMoreWithinSeconds() throws Exception {
        TestAgentUser.ensure();
        Path work = Files.createTempDirectory("agent-concurrency", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        LocalRepos repos = LocalRepos.create(work);
        StandInCli cli = StandInCli.create(work.resolve("stand-in"));
        try (TestDatabase db = TestDatabase.start()) {
            db.documents().settings().updateOne(eq("_id", Settings.GLOBAL_ID),
                    combine(set("maxConcurrentAgents", 2), set("updatedAt", Instant.now())),
                    new UpdateOptions().upsert(true));
            List<AgentSession> queued = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                queued.add(AgentFixtures.queue(db.documents(), "Issue " + i));
            }
            AtomicInteger peak = new AtomicInteger();
            try (PackagedRunner runner = PackagedRunner.start(work, "runner", Map.of(
                    "truffles.mongodb.uri", db.uri(),
                    "truffles.agents.repo-clone-path", repos.cloneDir().toString(),
                    "truffles.agents.worktree-base-path", repos.worktreeBase().toString(),
                    "truffles.anthropic.api-key", "sk-ant-unused",
                    "agent-runner.claude-cli", cli.executable().toString(),
                    "agent-runner.anthropic-base-url", "http://127.0.0.1:9",
                    "agent-runner.run-dir", work.resolve("runs").toString(),
                    "agent-runner.pr-poll-interval", "PT1H"))) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(peak.accumulateAndGet(cli.running(), Math::max)).as(runner.log()).isEqualTo(2));
                // settled at 2: for several seconds the other four stay queued
                await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(200))
                        .until(() -> peak.accumulateAndGet(cli.running(), Math::max) <= 2);
                assertThat(db.documents().agentSessions().countDocuments(eq("status", AgentStatus.queued.name())))
                        .isEqualTo(4);

                Instant raised = Instant.now();
                db.documents().settings().updateOne(eq("_id", Settings.GLOBAL_ID),
                        combine(set("maxConcurrentAgents", 4), set("updatedAt", Instant.now())));
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> peak.accumulateAndGet(cli.running(), Math::max) == 4);
                System.out.printf("BENCHMARK maxConcurrentAgents 2 -> 4: the 4th agent ran %d ms after the settings "
                        + "change (shared 2-core machine under contention)%n",
                        Duration.between(raised, Instant.now()).toMillis());
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200))
                        .until(() -> peak.accumulateAndGet(cli.running(), Math::max) <= 4);

                cli.release();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(queued).allSatisfy(a -> assertThat(db.documents().agentSessions()
                                .find(eq("_id", a.id)).first().status).isEqualTo(AgentStatus.false_alarm)));
                assertThat(peak.get()).isEqualTo(4);
            }
        }
    }

    /**
     * A stand-in for the CLI: prints the CLI's first stream-json line, blocks until the file {@code release} appears
     * next to its bin folder (the folder is mounted read-only in the sandbox, so it sees the file appear), then prints
     * a result saying it could not reproduce.
     */
    record StandInCli(Path executable, Path releaseFile) {
        static StandInCli create(Path folder) throws java.io.IOException {
            Path bin = Files.createDirectories(folder.resolve("bin"));
            Path executable = bin.resolve("claude.exe");
            Files.writeString(executable, """
                    #!/bin/sh
                    echo '{"type":"system","subtype":"init","session_id":"stand-in"}'
                    while [ ! -e "$(dirname "$0")/../release" ]; do sleep 0.2; done
                    echo '{"type":"result","subtype":"success","is_error":false,"total_cost_usd":0.001,"result":"",\
                    "session_id":"stand-in","structured_output":{"reproducible":false,"reason":"stand-in released"}}'
                    """);
            Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new StandInCli(executable, folder.resolve("release"));
        }

        void release() throws java.io.IOException {
            Files.writeString(releaseFile, "go");
        }

        /**
         * Stand-in processes alive now: {@code /bin/sh <executable> ...}, wherever the sandbox started them. A shell
         * forking its {@code sleep} has a child with its own command line until the exec: children of a counted
         * stand-in are not counted again.
         */
        int running() {
            java.util.Set<Long> standIns = ProcessHandle.allProcesses().filter(ProcessTree::running).filter(p -> {
                try {
                    String[] argv = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline")).split("\0");
                    return argv.length > 1 && argv[0].endsWith("sh") && argv[1].equals(executable.toString());
                } catch (java.io.IOException | RuntimeException gone) {
                    return false;
                }
            }).map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
            return (int) standIns.stream().filter(pid -> ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                    .map(parent -> !standIns.contains(parent.pid())).orElse(true)).count();
        }
    }
}
