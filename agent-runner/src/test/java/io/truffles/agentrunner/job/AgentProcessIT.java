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
import io.truffles.agentrunner.worktree.Worktrees;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.documents.Settings;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How agents end when the CLI process misbehaves, through the packaged runner in its own JVM, with a stand-in for the
 * CLI (these tests are about the process, not what a model does) whose behaviour the issue's title picks: it fails
 * every time, hangs with a child that ignores SIGTERM, floods its output, changes a CI file, or changes nothing. The
 * runner counts {@code agentTimeoutMinutes} in seconds here ({@code agent-runner.timeout-unit}) and backs off 1 s
 * between attempts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentProcessIT {
    /** The settings' timeout while a test is not about the timeout: far beyond any test. */
    static final int NO_TIMEOUT = 600;

    Path work;
    LocalRepos repos;
    Path standIn;
    TestDatabase db;
    PackagedRunner runner;

    @BeforeAll
    void start() throws Exception {
        TestAgentUser.ensure();
        work = Files.createTempDirectory("agent-process", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        repos = LocalRepos.create(work);
        standIn = standIn(work.resolve("stand-in"));
        db = TestDatabase.start();
        db.documents().settings().updateOne(eq("_id", Settings.GLOBAL_ID),
                combine(set("maxConcurrentAgents", 1), set("agentTimeoutMinutes", NO_TIMEOUT),
                        set("updatedAt", Instant.now())), new UpdateOptions().upsert(true));
        runner = PackagedRunner.start(work, "runner", Map.ofEntries(
                Map.entry("truffles.mongodb.uri", db.uri()),
                Map.entry("truffles.agents.repo-clone-path", repos.cloneDir().toString()),
                Map.entry("truffles.agents.worktree-base-path", repos.worktreeBase().toString()),
                Map.entry("truffles.anthropic.api-key", "sk-ant-unused"),
                Map.entry("agent-runner.claude-cli", standIn.toString()),
                Map.entry("agent-runner.anthropic-base-url", "http://127.0.0.1:9"),
                Map.entry("agent-runner.push-url", repos.origin().toString()),
                Map.entry("agent-runner.run-dir", work.resolve("runs").toString()),
                Map.entry("agent-runner.pr-poll-interval", "PT1H"),
                Map.entry("agent-runner.retry-backoff", "PT1S"),
                Map.entry("agent-runner.timeout-unit", "SECONDS")));
        // settings changed before the runner is up would never show in its log as applied
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(runner::started);
    }

    @AfterAll
    void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /**
     * The stand-in CLI. The last argument is the prompt: the first phase's names the issue (and so the scenario); each
     * later phase resumes ({@code --resume=}) the session the previous one reported, which is named after the
     * scenario. It runs inside the sandbox as the agent user, in the checkout.
     */
    static Path standIn(Path folder) throws IOException {
        Path bin = Files.createDirectories(folder.resolve("bin"));
        Path executable = bin.resolve("claude.exe");
        Files.writeString(executable, """
                #!/bin/sh
                for arg in "$@"; do prompt="$arg"; case "$arg" in --resume=*) scenario="${arg#--resume=}";; esac; done
                [ -n "$scenario" ] || scenario=$(printf '%s\\n' "$prompt" | sed -n 's/.*scenario:\\([a-z]*\\).*/\\1/p' | head -n 1)
                phase=$(printf '%s\\n' "$prompt" | sed -n '1s/^\\[truffles phase: \\([a-z]*\\)\\]$/\\1/p')
                echo '{"type":"system","subtype":"init","session_id":"'"$scenario"'"}'
                result() {
                  echo '{"type":"result","subtype":"success","is_error":false,"total_cost_usd":0.001,"result":"",'\\
                '"session_id":"'"$scenario"'","structured_output":'"$1"'}'
                }
                case "$scenario" in
                  fail) echo "stand-in: the model API is unreachable (at $(date +%s%N))" >&2; exit 1 ;;
                  hang) (trap '' TERM; exec sleep 600) & sleep 600; exit 0 ;;
                  flood) head -c 3000000 /dev/zero | tr '\\0' x; echo
                         yes '{"type":"assistant","message":"flood"}' | head -n 50000
                         result '{"reproducible":false,"reason":"flooded"}' ;;
                  ci|nochange) case "$phase" in
                      verifying) result '{"reproducible":true,"reason":"stand-in"}' ;;
                      planning) result '{"plan":"stand-in"}' ;;
                      coding) if [ "$scenario" = ci ]; then echo 'pipeline { }' > Jenkinsfile; echo '// fixed' >> src/cart.js; fi
                              result '{"summary":"stand-in"}' ;;
                      reviewing) result '{"approved":true,"summary":"stand-in"}' ;;
                    esac ;;
                esac
                """);
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
        return executable;
    }

    private AgentSession agent(AgentSession queued) {
        return db.documents().agentSessions().find(eq("_id", queued.id)).first();
    }

    private Issue issueOf(AgentSession agent) {
        return db.documents().issues().find(eq("_id", agent.issueId)).first();
    }

    /**
     * The agent ended, and when it failed, handling that has finished too: the queue writes {@code failed} first and
     * then tells the runner, which ends the issue.
     */
    private AgentSession awaitEnd(AgentSession queued) {
        return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> agent(queued), a -> !a.status.isLive()
                        && (a.status != AgentStatus.failed || issueOf(a).status == IssueStatus.fix_failed));
    }

    private Path worktreeOf(AgentSession agent) {
        return repos.worktreeBase().resolve(agent.id.toHexString());
    }

    private static long claims(AgentSession agent) {
        return agent.statusHistory.stream().filter(change -> change.status == AgentStatus.starting).count();
    }

    /** The runner's processes now: while a stand-in runs, that is the agent's whole sandbox. */
    private List<ProcessHandle> runnerDescendants() {
        return ProcessHandle.of(runner.pid()).orElseThrow().descendants().filter(ProcessTree::running).toList();
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    /** Waits for the hanging stand-in and its SIGTERM-proof child, and returns every process of the sandbox. */
    private List<ProcessHandle> awaitHangingSandbox() {
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(this::runnerDescendants, tree -> tree.stream().anyMatch(p -> commandLine(p)
                        .contains(standIn.toString())) && tree.stream().filter(p -> commandLine(p)
                        .startsWith("sleep 600")).count() == 2);
    }

    @Test
    void aCliThatFailsEveryTimeIsRetriedUpToMaxAttemptsThenTheAgentIsFailedAndTheIssueFixFailedWithTheLastError() {
        AgentSession queued = AgentFixtures.queue(db.documents(), "scenario:fail Cart total ignores quantity");

        AgentSession failed = awaitEnd(queued);

        assertThat(failed.status).as(runner.log()).isEqualTo(AgentStatus.failed);
        assertThat(failed.attempts).isEqualTo(QueueStage.AGENT.maxAttempts());
        assertThat(claims(failed)).isEqualTo(QueueStage.AGENT.maxAttempts());
        assertThat(failed.lastError).contains("exited with code 1 without a result")
                .contains("stand-in: the model API is unreachable");
        assertThat(failed.error).isEqualTo(failed.lastError);
        assertThat(failed.completedAt).isNotNull();
        Issue issue = issueOf(failed);
        assertThat(issue.status).isEqualTo(IssueStatus.fix_failed);
        assertThat(issue.lastError).as("the last attempt's error, not an earlier one's").isEqualTo(failed.lastError);
        assertThat(worktreeOf(failed)).doesNotExist();
    }

    @Test
    void aStopRequestWrittenToTheAgentSessionKillsTheProcessTreeWithinFiveSecondsAndEndsItFailedAsStopped() {
        AgentSession queued = AgentFixtures.queue(db.documents(), "scenario:hang Checkout button dead");
        List<ProcessHandle> sandbox = awaitHangingSandbox();
        assertThat(worktreeOf(queued)).isDirectory();

        // as the api's POST /api/agents/{id}/stop does
        db.documents().agentSessions().updateOne(eq("_id", queued.id),
                combine(set("stopRequested", true), set("updatedAt", Instant.now())));
        Instant requested = Instant.now();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> sandbox.stream().noneMatch(ProcessTree::running));
        System.out.printf("stop request -> process tree (%d processes) gone: %d ms%n", sandbox.size(),
                Duration.between(requested, Instant.now()).toMillis());
        AgentSession stopped = awaitEnd(queued);
        assertThat(stopped.status).as(runner.log()).isEqualTo(AgentStatus.failed);
        assertThat(stopped.error).contains("stopped on request").contains("process tree was killed");
        assertThat(stopped.attempts).as("a stop is not retried").isEqualTo(1);
        assertThat(worktreeOf(stopped)).doesNotExist();
        Issue issue = issueOf(stopped);
        assertThat(issue.status).isEqualTo(IssueStatus.fix_failed);
        assertThat(issue.lastError).contains("stopped on request");
    }

    @Test
    void anAgentOverItsTimeoutHasItsProcessTreeKilledOnEachAttemptAndEndsFailedAsTimedOut() {
        int timeoutSeconds = 4;
        setTimeout(timeoutSeconds);
        try {
            AgentSession queued = AgentFixtures.queue(db.documents(), "scenario:hang Search returns nothing");
            List<ProcessHandle> firstAttempt = awaitHangingSandbox();
            Instant seen = Instant.now();

            await().atMost(Duration.ofSeconds(timeoutSeconds + 5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> firstAttempt.stream().noneMatch(ProcessTree::running));
            System.out.printf("first attempt's process tree (%d processes) gone %d ms after it was seen running "
                    + "(timeout %d s)%n", firstAttempt.size(), Duration.between(seen, Instant.now()).toMillis(),
                    timeoutSeconds);
            AgentSession timedOut = awaitEnd(queued);
            assertThat(timedOut.status).as(runner.log()).isEqualTo(AgentStatus.failed);
            assertThat(timedOut.attempts).as("a timeout is retried").isEqualTo(QueueStage.AGENT.maxAttempts());
            assertThat(timedOut.error).contains("timed out").contains("process tree was killed");
            assertThat(worktreeOf(timedOut)).doesNotExist();
            assertThat(runnerDescendants()).noneMatch(p -> commandLine(p).contains(standIn.toString())
                    || commandLine(p).startsWith("sleep 600"));
            Issue issue = issueOf(timedOut);
            assertThat(issue.status).isEqualTo(IssueStatus.fix_failed);
            assertThat(issue.lastError).contains("timed out");
        } finally {
            setTimeout(NO_TIMEOUT);
        }
    }

    /** Changes the live setting and waits until the runner says it applies it (a job reads it when it starts). */
    private void setTimeout(int seconds) {
        db.documents().settings().updateOne(eq("_id", Settings.GLOBAL_ID),
                combine(set("agentTimeoutMinutes", seconds), set("updatedAt", Instant.now())));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> runner.log()
                .lines().filter(line -> line.contains("each timing out after")).reduce((earlier, later) -> later)
                .orElse("").contains("each timing out after " + seconds + " seconds"));
    }

    @Test
    void aCliFloodingItsOutputIsDrainedToItsEndAndOnlyABoundedLogIsStored() {
        AgentSession queued = AgentFixtures.queue(db.documents(), "scenario:flood Prices flicker");

        AgentSession ended = awaitEnd(queued);

        // the stand-in got to its result line: it was never blocked on a full pipe
        assertThat(ended.status).as(runner.log()).isEqualTo(AgentStatus.false_alarm);
        assertThat(ended.falseAlarmReason).isEqualTo("flooded");
        List<OutputEntry> log = ended.outputLog;
        // printed: the init line, one 3 MB line, 50,000 short ones, the result
        assertThat(log).hasSize(OutputLog.MAX_ENTRIES + 2);
        assertThat(log.get(1).content).hasSizeLessThan(OutputLog.MAX_ENTRY_CHARS + 50).endsWith("more characters cut]");
        assertThat(log).filteredOn(e -> e.content.contains("entries dropped")).singleElement()
                .satisfies(marker -> assertThat(marker.content)
                        .startsWith("… " + (50_000 - (OutputLog.MAX_ENTRIES - 2)) + " entries dropped"));
        assertThat(log.get(log.size() - 1).content).contains("\"type\":\"result\"").contains("flooded");
    }

    @Test
    void aChangeToACiFileIsRefusedAndNothingIsCommittedOrPushed() {
        AgentSession queued = AgentFixtures.queue(db.documents(), "scenario:ci Cart total ignores quantity");

        AgentSession refused = awaitEnd(queued);

        assertThat(refused.status).as(runner.log()).isEqualTo(AgentStatus.failed);
        assertThat(refused.error).contains("changed files it must not touch").contains("Jenkinsfile")
                .contains("nothing was committed or pushed");
        assertThat(refused.attempts).as("refused for good, not retried").isEqualTo(1);
        String branch = Worktrees.branchFor(refused.issueId.toHexString());
        assertThat(LocalRepos.git(repos.origin(), "branch", "--list", branch)).isEmpty();
        assertThat(LocalRepos.git(repos.cloneDir(), "branch", "--list", branch)).isEmpty();
        assertThat(worktreeOf(refused)).doesNotExist();
        assertThat(issueOf(refused).status).isEqualTo(IssueStatus.fix_failed);
    }

    @Test
    void aFixThatChangesNoFileFailsClearlyAndPushesNothing() {
        AgentSession queued = AgentFixtures.queue(db.documents(), "scenario:nochange Cart total ignores quantity");

        AgentSession failed = awaitEnd(queued);

        assertThat(failed.status).as(runner.log()).isEqualTo(AgentStatus.failed);
        assertThat(failed.error).contains("The agent reported a fix but changed no file");
        assertThat(LocalRepos.git(repos.origin(), "branch", "--list",
                Worktrees.branchFor(failed.issueId.toHexString()))).isEmpty();
        assertThat(issueOf(failed).status).isEqualTo(IssueStatus.fix_failed);
        assertThat(issueOf(failed).lastError).contains("changed no file");
    }
}
