package io.truffles.analyzer.job;

import io.quarkus.runtime.StartupEvent;
import io.truffles.analyzer.issues.IssueRecorder;
import io.truffles.analyzer.issues.Screening;
import io.truffles.analyzer.openrouter.OpenRouterClient;
import io.truffles.core.config.TrufflesConfig;
import io.truffles.core.documents.Session;
import io.truffles.core.mongo.Documents;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.queue.StageWorkers;
import io.truffles.core.sessions.SessionStore;
import io.truffles.core.spend.SpendKind;
import io.truffles.core.spend.SpendLedger;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.video.FrameGrabber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Starts claiming sessions in {@code analyzing} when the service starts. */
@ApplicationScoped
public class AnalyzerWorker {
    private static final Logger LOG = Logger.getLogger(AnalyzerWorker.class);

    @ConfigProperty(name = "truffles.analyzer.concurrency", defaultValue = "2")
    int concurrency;

    /** How long an analysis's lease lasts unrenewed: how soon a killed analyzer's session is taken over. */
    @ConfigProperty(name = "truffles.analyzer.lease-ttl", defaultValue = "PT60S")
    Duration leaseTtl;

    /** Samples frames for video models that take only images. */
    @ConfigProperty(name = "truffles.analyzer.ffmpeg", defaultValue = "ffmpeg")
    String ffmpeg;

    /** How long a loading indicator may stay after a user action before it is reported as a hung loading state. */
    @ConfigProperty(name = "truffles.analyzer.hung-loading-seconds", defaultValue = "10")
    int hungLoadingSeconds;

    void start(@Observes StartupEvent event, StageWorkers workers, Documents documents, ObjectStorage storage,
            LiveSettings settings, TrufflesConfig config, OpenRouterClient models, Clock clock) {
        if (config.openrouter().apiKey().isEmpty()) {
            LOG.warn("OPENROUTER_API_KEY is not set: the analyzer runs its deterministic detectors only.");
        }
        SpendLedger spend = new SpendLedger(documents, clock, settings::current);
        SessionStore sessions = new SessionStore(documents, clock);
        // sessions held by a cap wait until the period ends; a raised (or cleared) cap frees them at once
        settings.onChange(now -> {
            if (spend.hold(SpendKind.models, now).isEmpty()) {
                long woken = sessions.resumeWaitingForBudget();
                if (woken > 0) {
                    LOG.infof("The model budget allows analysis again: %d waiting session(s) resume", woken);
                }
            }
        });
        IssueRecorder issues = new IssueRecorder(documents, new Screening(documents, models, spend), clock);
        workers.start("analyzer", QueueStage.ANALYZE.withLeaseTtl(leaseTtl), Session.class,
                new AnalyzeJob(storage, issues, settings, models, spend, new FrameGrabber(ffmpeg),
                        hungLoadingSeconds * 1000L),
                () -> concurrency);
    }
}
