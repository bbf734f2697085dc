package io.truffles.agentrunner.health;

import io.truffles.core.config.TrufflesConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the agent-runner can write in {@code WORKTREE_BASE_PATH}, where each agent's worktree is added. */
@Readiness
@Singleton
public class WorktreeDirectoryReadiness implements HealthCheck {
    private final Optional<Path> base;

    @Inject
    WorktreeDirectoryReadiness(TrufflesConfig config) {
        this(config.agents().worktreeBasePath());
    }

    WorktreeDirectoryReadiness(Optional<Path> base) {
        this.base = base;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("worktree directory");
        if (base.isEmpty()) {
            return health.up().withData("agents", "off: WORKTREE_BASE_PATH is not set").build();
        }
        Path dir = base.get();
        health.withData("path", dir.toString());
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".truffles-write-probe-", ""));
            return health.up().build();
        } catch (IOException | SecurityException cannotWrite) {
            return health.down().withData("error", "WORKTREE_BASE_PATH " + dir + " is not writable by the "
                    + "agent-runner's user (" + cannotWrite.getMessage() + "): create it writable for that user, and "
                    + "traversable (o+x) for the agent user, as systemd/install.sh does for "
                    + "/var/lib/truffles/worktrees.").build();
        }
    }
}
