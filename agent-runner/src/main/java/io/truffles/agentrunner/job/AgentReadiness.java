package io.truffles.agentrunner.job;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether this runner can start agents. DOWN, with one sentence saying why, while it refuses to (the CLI is missing,
 * or the sandbox would show the Truffles install, its {@code .env} or data, or the clone's credentials); queued agents
 * then stay queued, nothing lost.
 */
@Readiness
@jakarta.enterprise.inject.Default
@ApplicationScoped
public class AgentReadiness implements HealthCheck {
    private volatile String problem;

    void refuse(String sentence) {
        problem = sentence;
    }

    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public HealthCheckResponse call() {
        String now = problem;
        return now == null ? HealthCheckResponse.named("agents").up().build()
                : HealthCheckResponse.named("agents").down().withData("problem", now).build();
    }
}
