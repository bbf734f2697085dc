package io.truffles.renderer.health;

import io.truffles.core.health.FfmpegReadiness;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.health.Readiness;

/** The renderer pipes every frame into ffmpeg (the encoder runs {@code ffmpeg} from the PATH). */
@Readiness
@Singleton
public class RendererFfmpegReadiness extends FfmpegReadiness {
    RendererFfmpegReadiness(Clock clock) {
        super("ffmpeg", clock);
    }
}
