package io.truffles.agentrunner.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps on the whole agent — all its processes together — where the host runs systemd: each agent run starts in a
 * transient scope ({@code systemd-run --scope}) with {@code MemoryMax} and {@code TasksMax}, so the kernel's cgroup
 * counts its memory and tasks, which {@code prlimit}'s per-process limits cannot. {@code systemd-run --scope} runs the
 * command in place (it stays the runner's child, so {@code --die-with-parent} and the tree kill still apply). Without
 * systemd as the init system (containers, this build machine) there is no scope and prlimit alone caps the agent.
 */
public record SystemdScope(Path systemdRun) {
    private static final AtomicLong RUNS = new AtomicLong();

    /** A scope when systemd manages this host and the runner may create system scopes (it is root). */
    public static Optional<SystemdScope> detect() {
        if (!AgentUser.runnerIsRoot() || !Files.isDirectory(Path.of("/run/systemd/system"))) {
            return Optional.empty();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, "systemd-run");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new SystemdScope(candidate));
            }
        }
        return Optional.empty();
    }

    /** The command prefix that starts what follows in a fresh scope named after the agent. */
    public List<String> prefix(String agentId, ResourceLimits limits) {
        return List.of(systemdRun.toString(), "--scope", "--quiet", "--collect",
                "--unit=truffles-agent-" + agentId + "-" + RUNS.incrementAndGet(),
                "-p", "MemoryMax=" + limits.maxScopeMemoryBytes(),
                "-p", "TasksMax=" + limits.maxProcesses(), "--");
    }
}
