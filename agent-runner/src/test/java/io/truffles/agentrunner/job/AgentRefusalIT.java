package io.truffles.agentrunner.job;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged runner refuses to start agents — one line in its log, its readiness check {@code agents} DOWN with the
 * same sentence, the queued agent left queued — when it cannot run them safely; and finds the CLI the module's build
 * installed when started from the repository's root, as the launcher starts it.
 */
class AgentRefusalIT {
    Path work;
    Path install;
    TestDatabase db;
    LocalRepos repos;

    @BeforeEach
    void setUp() throws Exception {
        TestAgentUser.ensure();
        work = Files.createDirectory(Path.of("/var/lib", "truffles-test-" + UUID.randomUUID()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        install = Files.createDirectory(Path.of("/opt", "truffles-test-" + UUID.randomUUID()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        repos = LocalRepos.create(work);
        db = TestDatabase.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        db.close();
        for (Path path : new Path[] {work, install}) {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "truffles.mongodb.uri", db.uri(),
                "truffles.agents.repo-clone-path", repos.cloneDir().toString(),
                "truffles.agents.worktree-base-path", repos.worktreeBase().toString(),
                "truffles.anthropic.api-key", "sk-ant-unused",
                "agent-runner.anthropic-base-url", "http://127.0.0.1:9",
                "agent-runner.run-dir", work.resolve("runs").toString(),
                "agent-runner.pr-poll-interval", "PT1H"));
        return properties;
    }

    private void refusesAndLeavesTheAgentQueued(Map<String, String> properties, String sentence) throws Exception {
        AgentSession queued = AgentFixtures.queue(db.documents(), "Cart total ignores quantity");
        try (PackagedRunner runner = PackagedRunner.start(work, "runner", properties)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> runner.log().contains("started in"));
            assertThat(runner.log()).contains(sentence);
            assertThat(runner.log().lines().filter(l -> l.contains(sentence))).as("one line").hasSize(1);
            JsonNode agents = runner.readiness("agents");
            assertThat(agents.path("status").asText()).isEqualTo("DOWN");
            assertThat(agents.path("data").path("problem").asText()).contains(sentence);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> db.documents()
                    .agentSessions().find(eq("_id", queued.id)).first().status == AgentStatus.queued);
        }
    }

    @Test
    void aMissingCliIsOneLineAndReadinessDownWhileTheAgentStaysQueued() throws Exception {
        Map<String, String> properties = properties();
        properties.put("agent-runner.claude-cli", work.resolve("no-cli/claude.exe").toString());

        refusesAndLeavesTheAgentQueued(properties, "The Claude Code CLI is not at " + work.resolve("no-cli/claude.exe"));
    }

    @Test
    void aToolchainMountThatWouldShowTheDataFolderStopsAgentsBeforeAnyStarts() throws Exception {
        Files.createDirectories(install.resolve("data"));
        Map<String, String> properties = properties();
        properties.put("truffles.data-dir", install.resolve("data").toString());
        properties.put("agent-runner.toolchain-paths", "/opt");

        refusesAndLeavesTheAgentQueued(properties, "Agents are not started: their sandbox would show ["
                + install.resolve("data") + "]");
    }

    @Test
    void aRunFolderOnAPathAnotherUserOwnsStopsAgentsBeforeAnyStarts() throws Exception {
        Path foreign = Files.createDirectory(work.resolve("foreign"));
        Files.setAttribute(foreign, "unix:uid", 4242);
        Map<String, String> properties = properties();
        properties.put("agent-runner.run-dir", foreign.resolve("runs").toString());

        refusesAndLeavesTheAgentQueued(properties, "Agents are not started: the agent run folder "
                + foreign.resolve("runs") + " lies under " + foreign);
    }

    @Test
    void startedFromTheRepositoryRootTheDefaultCliPathFindsTheCliTheBuildInstalled() throws Exception {
        Path repositoryRoot = Path.of("..").toAbsolutePath().normalize();
        try (PackagedRunner runner = PackagedRunner.start(work, "runner", properties(), repositoryRoot)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> runner.log().contains("started in"));

            assertThat(runner.readiness("agents").path("status").asText()).as(runner.log()).isEqualTo("UP");
            assertThat(runner.log()).doesNotContain("is not at").doesNotContain("Agents are not started");
        }
    }
}
