package io.truffles.poller;

import io.truffles.poller.posthog.PostHogClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** DOWN while PostHog refuses the key (the operator must act); otherwise UP, naming the source and the last poll. */
@Readiness
@ApplicationScoped
public class PollerHealthCheck implements HealthCheck {
    private final PollingService polling;
    private final PostHogClient posthog;

    PollerHealthCheck(PollingService polling, PostHogClient posthog) {
        this.polling = polling;
        this.posthog = posthog;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("poller");
        RecordingSource source = polling.source();
        health.withData("source", source == null ? "starting" : source.name());
        if (polling.lastPoll() != null) {
            health.withData("lastPoll", polling.lastPoll().toString());
        }
        if (polling.lastFailure() != null) {
            health.withData("lastFailure", polling.lastFailure());
        }
        String misconfigured = posthog.configurationError();
        if (misconfigured != null) {
            return health.down().withData("configurationError", misconfigured).build();
        }
        return health.up().build();
    }
}
