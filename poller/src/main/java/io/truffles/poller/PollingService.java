package io.truffles.poller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.truffles.core.config.TrufflesConfig;
import io.truffles.core.error.ConfigurationException;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.IndexesAtStartup;
import io.truffles.core.queue.Doorbell;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.poller.importing.SessionImporter;
import io.truffles.core.queue.WorkerIdentity;
import io.truffles.poller.inbox.InboxSource;
import io.truffles.poller.posthog.PollCursor;
import io.truffles.poller.posthog.PostHogClient;
import io.truffles.poller.posthog.PostHogSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Runs the poller: one thread that polls its source, then waits the source's interval (the live
 * {@code pollingIntervalSeconds} for PostHog; a settings change wakes it at once). With no PostHog key the source is
 * the inbox folder.
 */
@ApplicationScoped
public class PollingService {
    private static final Logger LOG = Logger.getLogger(PollingService.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
    private static final Duration INDEXES_CHECK = Duration.ofMillis(250);

    private final Documents documents;
    private final ObjectStorage storage;
    private final ObjectMapper json;
    private final Clock clock;
    private final TrufflesConfig config;
    private final PollerConfig pollerConfig;
    private final LiveSettings settings;
    private final PostHogClient posthog;
    private final IndexesAtStartup indexes;
    private final Doorbell wake = new Doorbell();
    private volatile boolean running;
    private volatile RecordingSource source;
    private PollCursor cursor;
    private volatile Instant lastPoll;
    private volatile String lastFailure;
    private Thread thread;

    PollingService(Documents documents, ObjectStorage storage, ObjectMapper json, Clock clock, TrufflesConfig config,
            PollerConfig pollerConfig, LiveSettings settings, PostHogClient posthog, IndexesAtStartup indexes) {
        this.posthog = posthog;
        this.indexes = indexes;
        this.documents = documents;
        this.storage = storage;
        this.json = json;
        this.clock = clock;
        this.config = config;
        this.pollerConfig = pollerConfig;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        SessionImporter importer = new SessionImporter(documents, storage, json, clock);
        if (posthog.configured()) {
            cursor = new PollCursor(documents, posthog.projectId(), WorkerIdentity.of("poller"), clock,
                    pollerConfig.posthog().leaseTtl());
            source = new PostHogSource(posthog, importer, cursor, settings, pollerConfig.posthog(), clock);
            LOG.infof("Importing finished recordings of PostHog project %s every pollingIntervalSeconds",
                    posthog.projectId());
        } else {
            source = inbox(importer);
        }
        if (!pollerConfig.enabled()) {
            LOG.info("Polling is disabled (truffles.poller.enabled=false)");
            return;
        }
        settings.onChange(changed -> wake.ring());
        running = true;
        thread = new Thread(this::run, "poller");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        wake.ring();
        posthog.stop();
        if (thread != null) {
            thread.interrupt();
        }
        if (cursor != null) {
            try {
                cursor.release();
            } catch (RuntimeException unreachable) {
                // the lease simply expires
            }
        }
    }

    public RecordingSource source() {
        return source;
    }

    public Instant lastPoll() {
        return lastPoll;
    }

    public String lastFailure() {
        return lastFailure;
    }

    private RecordingSource inbox(SessionImporter importer) {
        Path folder = pollerConfig.inboxPath().orElse(config.dataDir().resolve("inbox"));
        InboxSource inbox = new InboxSource(folder, importer, json, clock, pollerConfig.inboxSettle(),
                pollerConfig.inboxInterval());
        LOG.infof("No POSTHOG_API_KEY: importing rrweb recordings dropped into %s", folder.toAbsolutePath());
        if (pollerConfig.inboxSamples()) {
            try {
                inbox.copySamplesOnce();
            } catch (java.io.IOException e) {
                LOG.warnf("Could not copy the sample recording into %s: %s", folder, e.getMessage());
            }
        }
        return inbox;
    }

    private void run() {
        while (running) {
            long seen = wake.generation();
            Duration wait;
            try {
                if (!indexes.ensured()) {
                    // the unique index on posthogSessionId is what makes an import idempotent: none before it exists
                    // (IndexesAtStartup creates it, retrying while MongoDB is down, and says so)
                    wake.awaitRingAfter(seen, INDEXES_CHECK);
                    continue;
                }
                source.pollOnce();
                lastPoll = clock.instant();
                if (lastFailure != null) {
                    LOG.infof("Polling %s works again", source.name());
                }
                lastFailure = null;
                wait = source.interval();
            } catch (ConfigurationException misconfigured) {
                // already logged once by the client; wait a whole interval, no retry storm
                lastFailure = misconfigured.getMessage();
                wait = source.interval();
            } catch (InterruptedException stopping) {
                return;
            } catch (MongoTimeoutException | MongoSocketException unreachable) {
                if (!running) {
                    return;
                }
                String message = "MongoDB unreachable";
                if (!message.equals(lastFailure)) {
                    // an outage is said once, as a sentence: the driver's stack trace says nothing more
                    LOG.errorf("MongoDB unreachable (%s); polling %s retries every %ss. Check MONGODB_URI and that "
                            + "the server is running.", unreachable.getMessage(), source.name(),
                            RETRY_AFTER_FAILURE.toSeconds());
                }
                lastFailure = message;
                wait = RETRY_AFTER_FAILURE;
            } catch (Exception | Error failure) {
                if (!running) {
                    return;
                }
                String message = failure.getClass().getSimpleName() + ": " + failure.getMessage();
                if (!message.equals(lastFailure)) {
                    LOG.errorf(failure, "Polling %s failed; retrying in %ss", source.name(),
                            RETRY_AFTER_FAILURE.toSeconds());
                }
                lastFailure = message;
                wait = RETRY_AFTER_FAILURE;
            }
            try {
                wake.awaitRingAfter(seen, wait);
            } catch (InterruptedException stop) {
                return;
            }
        }
    }
}
