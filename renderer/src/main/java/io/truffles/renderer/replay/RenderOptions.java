package io.truffles.renderer.replay;

import java.time.Duration;

/** One render's knobs; {@link io.truffles.renderer.RendererConfig} holds the service's defaults. */
public record RenderOptions(int fps, int maxWidth, int maxHeight, int jpegQuality, Duration idleThreshold,
        Duration idleMarker, Duration timeoutBase, Duration timeoutPerSessionSecond, double captureScale) {

    /** The default capture scale: see {@link io.truffles.renderer.RendererConfig#captureScale()}. */
    public static final double DEFAULT_CAPTURE_SCALE = 1.0;

    public static RenderOptions defaults() {
        return new RenderOptions(10, 1280, 720, 80, Duration.ofSeconds(5), Duration.ofMillis(1500),
                Duration.ofSeconds(60), Duration.ofSeconds(1), DEFAULT_CAPTURE_SCALE);
    }

    public RenderOptions withFps(int fps) {
        return new RenderOptions(fps, maxWidth, maxHeight, jpegQuality, idleThreshold, idleMarker, timeoutBase,
                timeoutPerSessionSecond, captureScale);
    }

    public RenderOptions withIdle(Duration threshold, Duration marker) {
        return new RenderOptions(fps, maxWidth, maxHeight, jpegQuality, threshold, marker, timeoutBase,
                timeoutPerSessionSecond, captureScale);
    }

    public RenderOptions withTimeout(Duration base, Duration perSessionSecond) {
        return new RenderOptions(fps, maxWidth, maxHeight, jpegQuality, idleThreshold, idleMarker, base,
                perSessionSecond, captureScale);
    }

    public RenderOptions withCaptureScale(double scale) {
        return new RenderOptions(fps, maxWidth, maxHeight, jpegQuality, idleThreshold, idleMarker, timeoutBase,
                timeoutPerSessionSecond, scale);
    }

    /** How long rendering a session of {@code sessionMs} may take before it is given up. */
    public Duration timeoutFor(long sessionMs) {
        return timeoutBase.plus(timeoutPerSessionSecond.multipliedBy(Math.max(0, sessionMs) / 1000));
    }
}
