package io.truffles.renderer.job;

import io.truffles.core.documents.Settings;
import io.truffles.core.settings.LiveSettings;
import io.truffles.renderer.RendererConfig;
import jakarta.inject.Singleton;
import java.util.function.IntSupplier;

/**
 * How many renders run at once: the live {@code rendererConcurrency} setting, or the configured default. The queue
 * claims that many sessions, and the browser pool keeps that many browsers at most.
 */
@Singleton
public class RenderSlots implements IntSupplier {
    private final LiveSettings settings;
    private final RendererConfig config;

    RenderSlots(LiveSettings settings, RendererConfig config) {
        this.settings = settings;
        this.config = config;
    }

    @Override
    public int getAsInt() {
        Settings current = settings.current();
        Integer concurrency = current == null ? null : current.rendererConcurrency;
        return concurrency == null || concurrency < 1 ? config.defaultConcurrency() : concurrency;
    }
}
