package io.truffles.renderer.replay;

import java.time.Duration;

/** One render's knobs; {@link io.truffles.renderer.RendererConfig} holds the service's defaults. */
public record RenderOptions(int fps, int maxWidth, int maxHeight, int jpegQuality, Duration idleThreshold,
        Duration idleMarker, Duration timeoutBase, Duration timeoutPerSessionSecond, double captureScale, int lanes) {

    /** The default capture scale: see {@link io.truffles.renderer.RendererConfig#captureScale()}. */
    public static final double DEFAULT_CAPTURE_SCALE = 1.0;
    /** The default frame rate: see {@link io.truffles.renderer.RendererConfig#fps()}. */
    public static final int DEFAULT_FPS = 5;
    /** The default number of pages a render may use: see {@link io.truffles.renderer.RendererConfig#lanes()}. */
    public static final int DEFAULT_LANES = 2;

    public static RenderOptions defaults() {
        return new RenderOptions(DEFAULT_FPS, 1280, 720, 80, Duration.ofSeconds(5), Duration.ofMillis(1500),
                Duration.ofSeconds(60), Duration.ofSeconds(1), DEFAULT_CAPTURE_SCALE, DEFAULT_LANES);
    }

    public RenderOptions withFps(int fps) {
        return new RenderOptions(fps, maxWidth, maxHeight, jpegQuality, idleThreshold, idleMarker, timeoutBase,
                timeoutPerSessionSecond, captureScale, lanes);
    }

    public RenderOptions withIdle(Duration threshold, Duration marker) {
        return new RenderOptions(fps, maxWidth, maxHeight, jpegQuality, threshold, marker, timeoutBase,
                timeoutPerSessionSecond, captureScale, lanes);
    }

    public RenderOptions withTimeout(Duration base, Duration perSessionSecond) {
        return new RenderOptions(fps, maxWidth, maxHeight, jpegQuality, idleThreshold, idleMarker, base,
                perSessionSecond, captureScale, lanes);
    }

    public RenderOptions withCaptureScale(double scale) {
        return new RenderOptions(fps, maxWidth, maxHeight, jpegQuality, idleThreshold, idleMarker, timeoutBase,
                timeoutPerSessionSecond, scale, lanes);
    }

    public RenderOptions withLanes(int lanes) {
        return new RenderOptions(fps, maxWidth, maxHeight, jpegQuality, idleThreshold, idleMarker, timeoutBase,
                timeoutPerSessionSecond, captureScale, lanes);
    }

    /** How long rendering a session of {@code sessionMs} may take before it is given up. */
    public Duration timeoutFor(long sessionMs) {
        return timeoutBase.plus(timeoutPerSessionSecond.multipliedBy(Math.max(0, sessionMs) / 1000));
    }
}
