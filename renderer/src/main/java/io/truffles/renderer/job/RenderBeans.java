package io.truffles.renderer.job;

import io.truffles.renderer.RendererConfig;
import io.truffles.renderer.encode.VideoRenderer;
import io.truffles.renderer.replay.RenderOptions;
import io.truffles.renderer.replay.ReplayBrowsers;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The renderer's long-lived parts, built from {@link RendererConfig}. */
public class RenderBeans {

    @Produces
    @Singleton
    ReplayBrowsers browsers(RendererConfig config, RenderSlots slots) {
        return new ReplayBrowsers(config.chromium(), config.pageHeapMb(), slots);
    }

    void closeBrowsers(@Disposes ReplayBrowsers browsers) {
        browsers.close();
    }

    @Produces
    @Singleton
    VideoRenderer videoRenderer(ReplayBrowsers browsers) {
        return new VideoRenderer(browsers);
    }

    @Produces
    @Singleton
    RenderOptions renderOptions(RendererConfig config) {
        return new RenderOptions(config.fps(), config.maxWidth(), config.maxHeight(), config.jpegQuality(),
                config.idleThreshold(), config.idleMarker(), config.timeoutBase(), config.timeoutPerSessionSecond(),
                config.captureScale(), config.lanes());
    }
}
