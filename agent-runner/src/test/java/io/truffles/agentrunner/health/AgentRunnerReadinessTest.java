package io.truffles.agentrunner.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.truffles.agentrunner.sandbox.AgentUser;
import io.truffles.agentrunner.sandbox.SandboxCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each of the agent-runner's own readiness checks going DOWN with its sentence, and UP on a good set-up. */
class AgentRunnerReadinessTest {
    @TempDir
    Path dir;

    @Test
    void withoutBubblewrapTheSandboxIsDownNamingThePackage() {
        HealthCheckResponse health = new SandboxReadiness(Optional.empty(), Optional.empty(), Clock.systemUTC()).call();

        assertDown(health, "bubblewrap (bwrap) is not on the PATH", "apt-get install bubblewrap");
    }

    @Test
    void aBwrapThatCannotMakeTheSandboxIsDownNamingUserNamespaces() throws Exception {
        Path broken = dir.resolve("bwrap");
        Files.writeString(broken, "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n");
        broken.toFile().setExecutable(true);

        HealthCheckResponse health = new SandboxReadiness(Optional.of(broken), Optional.empty(), Clock.systemUTC())
                .call();

        assertDown(health, "No permissions to create new namespace", "user.max_user_namespaces");
    }

    @Test
    void theInstalledBubblewrapMakesASandboxAsTheAgentWouldRun() {
        Optional<AgentUser> agent = AgentUser.runnerIsRoot() ? AgentUser.lookup(AgentUser.DEFAULT_NAME)
                : Optional.empty();
        HealthCheckResponse health = new SandboxReadiness(SandboxCommand.findBwrap(), agent, Clock.systemUTC()).call();

        assertThat(health.getStatus()).as(String.valueOf(health.getData())).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aCloneThatIsMissingOrNotARepositoryIsDown() throws Exception {
        assertDown(new CloneReadiness(Optional.of(dir.resolve("absent"))).call(), "does not exist", "git clone");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertDown(new CloneReadiness(Optional.of(file)).call(), "is not a directory");
        Path plain = Files.createDirectory(dir.resolve("plain"));
        assertDown(new CloneReadiness(Optional.of(plain)).call(), "is not a git repository");
    }

    @Test
    void anUnreadableCloneIsDown() throws Exception {
        assumeFalse(AgentUser.runnerIsRoot(), "root reads every directory whatever its mode");
        Path clone = Files.createDirectories(dir.resolve("clone/.git"));
        Files.setPosixFilePermissions(clone.getParent(), PosixFilePermissions.fromString("---------"));
        try {
            assertDown(new CloneReadiness(Optional.of(clone.getParent())).call(), "cannot be read");
        } finally {
            Files.setPosixFilePermissions(clone.getParent(), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aGitRepositoryIsAGoodCloneAndUnsetMeansAgentsAreOff() throws Exception {
        Path clone = dir.resolve("repo");
        Process init = new ProcessBuilder("git", "init", "-q", clone.toString()).start();
        assertThat(init.waitFor()).isZero();

        assertThat(new CloneReadiness(Optional.of(clone)).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        HealthCheckResponse unset = new CloneReadiness(Optional.empty()).call();
        assertThat(unset.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(unset.getData().orElseThrow().get("agents").toString()).contains("REPO_CLONE_PATH is not set");
    }

    @Test
    void aWorktreeDirectoryThatCannotBeWrittenIsDown() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertDown(new WorktreeDirectoryReadiness(Optional.of(file.resolve("worktrees"))).call(),
                "is not writable", "/var/lib/truffles/worktrees");
        assertThat(new WorktreeDirectoryReadiness(Optional.of(dir.resolve("worktrees"))).call().getStatus())
                .isEqualTo(HealthCheckResponse.Status.UP);
        try (var left = Files.list(dir.resolve("worktrees"))) {
            assertThat(left).as("the probe file is gone").isEmpty();
        }
    }

    private static void assertDown(HealthCheckResponse health, String... sentence) {
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(health.getData().orElseThrow().get("error").toString()).contains(sentence);
    }
}
