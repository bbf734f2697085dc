package io.truffles.renderer.job;

import io.quarkus.runtime.StartupEvent;
import io.truffles.core.documents.Session;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.queue.StageWorkers;
import io.truffles.renderer.RendererConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Clock;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Runs the render stage: claims {@code pending} sessions, {@code rendererConcurrency} (a live setting) at once. */
@ApplicationScoped
public class RenderWorkers {
    private static final Logger LOG = Logger.getLogger(RenderWorkers.class);

    /** How long a render's lease lasts unrenewed: how soon a killed renderer's session is taken over. */
    @ConfigProperty(name = "truffles.renderer.lease-ttl", defaultValue = "PT60S")
    Duration leaseTtl;

    void start(@Observes StartupEvent event, RendererConfig config, StageWorkers workers, RenderJob job,
            RenderSlots slots, Clock clock) {
        StaleRenderFiles.clean(Path.of(System.getProperty("java.io.tmpdir")), clock.instant());
        if (!config.workersEnabled()) {
            LOG.info("Render workers are off (renderer.workers-enabled=false)");
            return;
        }
        workers.start("renderer", QueueStage.RENDER.withLeaseTtl(leaseTtl), Session.class, job, slots);
        LOG.info("Render workers started");
    }
}
