package io.truffles.renderer.health;

import io.truffles.core.health.CommandProbe;
import io.truffles.renderer.RendererConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while Chromium starts headless and renders a blank page, with the flags the replay uses: a missing package, a
 * broken library or a sandbox that forbids what Chromium needs (a seccomp filter, say) shows here, not as failed
 * renders. A launch costs about a second, so its answer is kept for {@link #REUSE}.
 */
@Readiness
@Singleton
public class ChromiumReadiness implements HealthCheck {
    static final Duration REUSE = Duration.ofMinutes(2);

    private final String chromium;
    private final CommandProbe probe;

    @Inject
    ChromiumReadiness(RendererConfig config, Clock clock) {
        this(config.chromium(), clock);
    }

    ChromiumReadiness(String chromium, Clock clock) {
        this.chromium = chromium;
        this.probe = new CommandProbe(() -> List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--dump-dom", "about:blank"), REUSE, clock);
    }

    @Override
    public HealthCheckResponse call() {
        return probe.problem()
                .map(problem -> HealthCheckResponse.named("chromium").down().withData("error", problem + ". Install "
                        + "Chromium (apt-get install chromium) or set renderer.chromium to a Chromium that starts "
                        + "headless for the renderer's user.").build())
                .orElseGet(() -> HealthCheckResponse.named("chromium").up().withData("command", chromium).build());
    }
}
