package io.truffles.core.health;

import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Ready while {@code ffmpeg -version} runs. Not a bean itself: the services that encode or cut video (renderer,
 * analyzer, agent-runner) declare a {@code @Readiness} subclass, so the api and the poller do not ask for ffmpeg.
 */
public abstract class FfmpegReadiness implements HealthCheck {
    private final String ffmpeg;
    private final CommandProbe probe;

    protected FfmpegReadiness(String ffmpeg, Clock clock) {
        this.ffmpeg = ffmpeg;
        this.probe = new CommandProbe(List.of(ffmpeg, "-hide_banner", "-version"), clock);
    }

    @Override
    public HealthCheckResponse call() {
        return probe.problem()
                .map(problem -> HealthCheckResponse.named("ffmpeg").down().withData("error", problem + ". Install "
                        + "ffmpeg (apt-get install ffmpeg) so that '" + ffmpeg + "' runs for the service's user.").build())
                .orElseGet(() -> HealthCheckResponse.named("ffmpeg").up().withData("command", ffmpeg).build());
    }
}
