package io.truffles.poller.health;

import io.truffles.core.config.TrufflesConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * With a PostHog key set, ready while {@code POSTHOG_HOST} answers HTTP at all (any status: whether the key is good
 * is the poller check's business). Asked at most once a {@link #REUSE}; without a key there is nothing to reach.
 */
@Readiness
@Singleton
public class PostHogReachability implements HealthCheck {
    static final Duration REUSE = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final boolean keySet;
    private final URI host;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private Optional<String> problem = Optional.empty();
    private Instant askedAt = Instant.MIN;

    @Inject
    PostHogReachability(TrufflesConfig config, Clock clock) {
        this(config.posthog().apiKey().isPresent(), config.posthog().host(), clock);
    }

    PostHogReachability(boolean keySet, URI host, Clock clock) {
        this.keySet = keySet;
        this.host = host;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("posthog").withData("host", host.toString());
        if (!keySet) {
            return health.up().withData("source", "inbox: POSTHOG_API_KEY is not set").build();
        }
        return problem().map(error -> health.down().withData("error", error).build())
                .orElseGet(() -> health.up().build());
    }

    private synchronized Optional<String> problem() {
        Instant now = clock.instant();
        if (now.isAfter(askedAt.plus(REUSE)) || now.isBefore(askedAt)) {
            problem = ask();
            askedAt = now;
        }
        return problem;
    }

    private Optional<String> ask() {
        try {
            http.send(HttpRequest.newBuilder(host).timeout(TIMEOUT).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.discarding());
            return Optional.empty();
        } catch (IOException | IllegalArgumentException unreachable) {
            return Optional.of("PostHog at " + host + " cannot be reached (" + unreachable + "): check POSTHOG_HOST "
                    + "(https://us.posthog.com or https://eu.posthog.com) and that this host may make outbound HTTPS "
                    + "connections to it.");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while reaching PostHog at " + host);
        }
    }
}
