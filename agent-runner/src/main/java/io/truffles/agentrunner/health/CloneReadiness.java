package io.truffles.agentrunner.health;

import io.truffles.core.config.TrufflesConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while {@code REPO_CLONE_PATH} is a readable git repository (a checkout with {@code .git}, or a bare one), the
 * clone every agent's worktree is made from. Unset, agents cannot start and the check says so without going DOWN:
 * a Truffles without agents is a valid set-up.
 */
@Readiness
@Singleton
public class CloneReadiness implements HealthCheck {
    private final Optional<Path> clone;

    @Inject
    CloneReadiness(TrufflesConfig config) {
        this(config.agents().repoClonePath());
    }

    CloneReadiness(Optional<Path> clone) {
        this.clone = clone;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("repository clone");
        if (clone.isEmpty()) {
            return health.up().withData("agents", "off: REPO_CLONE_PATH is not set").build();
        }
        Path path = clone.get();
        health.withData("path", path.toString());
        return problem(path).map(problem -> health.down().withData("error", problem).build())
                .orElseGet(() -> health.up().build());
    }

    private static Optional<String> problem(Path path) {
        String clone = "Clone the product's repository there (git clone https://github.com/OWNER/REPO " + path + ") "
                + "or set REPO_CLONE_PATH to its clone.";
        if (!Files.exists(path)) {
            return Optional.of("REPO_CLONE_PATH " + path + " does not exist. " + clone);
        }
        if (!Files.isDirectory(path)) {
            return Optional.of("REPO_CLONE_PATH " + path + " is not a directory. " + clone);
        }
        if (!Files.isReadable(path) || !Files.isExecutable(path)) {
            return Optional.of("REPO_CLONE_PATH " + path + " cannot be read by the agent-runner's user: give it read "
                    + "access (chown or chmod) or run the agent-runner as the clone's owner.");
        }
        boolean checkout = Files.exists(path.resolve(".git"));
        boolean bare = Files.isRegularFile(path.resolve("HEAD")) && Files.isDirectory(path.resolve("objects"));
        if (!checkout && !bare) {
            return Optional.of("REPO_CLONE_PATH " + path + " is not a git repository (no .git in it). " + clone);
        }
        Path gitDir = checkout ? path.resolve(".git") : path;
        if (!Files.isReadable(gitDir)) {
            return Optional.of("The git metadata at " + gitDir + " cannot be read by the agent-runner's user: give it "
                    + "read access.");
        }
        return Optional.empty();
    }
}
