package io.truffles.renderer.job;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

/**
 * {@code truffles_render_duration_seconds} (replay and encode of one recording, storage aside) and
 * {@code truffles_render_speedup_ratio} (seconds of session per second of rendering: the renderer benchmark's figure,
 * measured on every render).
 */
final class RenderMeters {
    private static final MeterRegistry REGISTRY = Metrics.globalRegistry;
    private static final Timer DURATION = Timer.builder("truffles.render.duration")
            .description("Replay and encode of one recording").register(REGISTRY);
    private static final DistributionSummary SPEEDUP = DistributionSummary.builder("truffles.render.speedup")
            .baseUnit("ratio").description("Session seconds rendered per second of rendering").register(REGISTRY);

    private RenderMeters() {
    }

    static Timer.Sample start() {
        return Timer.start(REGISTRY);
    }

    static void rendered(Timer.Sample started, double sessionSeconds) {
        long nanos = started.stop(DURATION);
        if (nanos > 0) {
            SPEEDUP.record(sessionSeconds / (nanos / 1e9));
        }
    }
}
