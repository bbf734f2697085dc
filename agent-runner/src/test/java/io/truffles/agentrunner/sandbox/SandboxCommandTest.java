package io.truffles.agentrunner.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.agentrunner.worktree.Worktree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caps around an agent's command: a systemd scope (whole-agent memory and tasks) outermost when the host has
 * systemd, then the user switch, then prlimit's per-process caps. This machine has no systemd as init, so the scope
 * itself cannot run here; what is shown is the command the runner would start.
 */
class SandboxCommandTest {
    @TempDir
    Path dir;

    private List<String> argv(Optional<SystemdScope> scope) throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("agent1"));
        Worktree worktree = new Worktree("agent1", checkout, "truffles/fix-1", dir.resolve("git/worktrees/agent1"),
                dir.resolve("git"));
        SandboxCommand command = new SandboxCommand(Optional.of(Path.of("/usr/bin/bwrap")),
                Optional.of(new AgentUser("truffles-agent", 999, 999)),
                ResourceLimits.defaults().withMaxProcesses(64), scope);
        return command.build(worktree, List.of(), List.of(), Optional.empty(), Optional.empty(), Map.of(),
                List.of("/bin/true")).argv();
    }

    @Test
    void underSystemdTheAgentStartsInAScopeWithMemoryAndTaskCapsBeforeItsPrivilegesAreDropped() throws Exception {
        List<String> argv = argv(Optional.of(new SystemdScope(Path.of("/usr/bin/systemd-run"))));

        assertThat(argv.subList(0, 4)).containsExactly("/usr/bin/systemd-run", "--scope", "--quiet", "--collect");
        assertThat(argv.get(4)).startsWith("--unit=truffles-agent-agent1-");
        assertThat(argv.subList(5, 10)).containsExactly("-p", "MemoryMax=" + (2L << 30), "-p", "TasksMax=64", "--");
        assertThat(argv.get(10)).isEqualTo("setpriv");
        assertThat(argv).containsSubsequence("setpriv", "prlimit", "--nproc=64", "/usr/bin/bwrap", "/bin/true");
    }

    @Test
    void withoutSystemdPrlimitAloneCapsTheAgent() throws Exception {
        List<String> argv = argv(Optional.empty());

        assertThat(argv).doesNotContain("/usr/bin/systemd-run").first().isEqualTo("setpriv");
        assertThat(argv).containsSubsequence("prlimit", "--nproc=64", "--fsize=" + (512L << 20), "--as=" + (8L << 30),
                "--nofile=4096", "--core=0", "--");
    }
}
