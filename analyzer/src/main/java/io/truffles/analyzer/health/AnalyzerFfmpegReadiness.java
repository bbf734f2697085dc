package io.truffles.analyzer.health;

import io.truffles.core.health.FfmpegReadiness;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;

/** The analyzer samples frames from each video with ffmpeg ({@code truffles.analyzer.ffmpeg}). */
@Readiness
@Singleton
public class AnalyzerFfmpegReadiness extends FfmpegReadiness {
    AnalyzerFfmpegReadiness(@ConfigProperty(name = "truffles.analyzer.ffmpeg", defaultValue = "ffmpeg") String ffmpeg,
            Clock clock) {
        super(ffmpeg, clock);
    }
}
