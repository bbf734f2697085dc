package io.truffles.renderer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the renderer turns recordings into video. Concurrency is the live setting {@code rendererConcurrency}. */
@ConfigMapping(prefix = "renderer")
public interface RendererConfig {

    /** Claim and render pending sessions; off only in tests that drive the renderer themselves. */
    @WithDefault("true")
    boolean workersEnabled();

    /** Renders at once when the settings document does not say. */
    @WithDefault("2")
    int defaultConcurrency();

    /** The Chromium binary; never downloaded. */
    @WithDefault("/usr/bin/chromium")
    String chromium();

    /**
     * Frames per second of the video. 5 shows every click, keystroke and page change a person would see; the video
     * models sample far less (Gemini reads video at 1 frame a second, image-only models get 16 frames), and each
     * frame costs a capture, so 10 halves the renderer's speed for a smoother cursor only.
     */
    @WithDefault("5")
    int fps();

    /** The recording's viewport is scaled to fit inside this box (aspect kept). */
    @WithDefault("1280")
    int maxWidth();

    @WithDefault("720")
    int maxHeight();

    /** JPEG quality (1-100) of captured frames. */
    @WithDefault("80")
    int jpegQuality();

    /**
     * Pictures are captured at this fraction of the video's size (0.25-1) and scaled back up by ffmpeg: a capture's
     * cost in Chromium grows with its pixels, so 0.5 captures about three times faster, at the price of softer text.
     */
    @WithDefault("1.0")
    double captureScale();

    /**
     * Replay pages one render may use at once, each on a browser of a render slot no other render is using (a
     * capture keeps one core busy in Chromium; two pages keep both of a 2-core machine busy). 1 renders with one page.
     */
    @WithDefault("2")
    int lanes();

    /** Stretches without any event longer than this are collapsed. */
    @WithDefault("5s")
    Duration idleThreshold();

    /** How long a collapsed stretch shows in the video, with a marker of the time skipped. */
    @WithDefault("1500ms")
    Duration idleMarker();

    /** A render may take this long plus {@link #timeoutPerSessionSecond()} per second of session. */
    @WithDefault("60s")
    Duration timeoutBase();

    @WithDefault("1s")
    Duration timeoutPerSessionSecond();

    /** The JavaScript heap of one replay page, in MB: the memory bound of a render's browser side. */
    @WithDefault("512")
    int pageHeapMb();
}
