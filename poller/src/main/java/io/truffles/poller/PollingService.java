package io.truffles.poller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.truffles.core.config.TrufflesConfig;
import io.truffles.core.error.ConfigurationException;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.IndexesAtStartup;
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
 * Runs the poller: Quarkus' scheduler ticks, and a tick polls the source once its interval has passed (the live
 * {@code pollingIntervalSeconds} for PostHog, which is why this is a tick and not a fixed schedule; a settings change
 * makes the next tick poll). With no PostHog key the source is the inbox folder.
 */
@ApplicationScoped
public class PollingService {
    private static final Logger LOG = Logger.getLogger(PollingService.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

    private final Documents documents;
    private final ObjectStorage storage;
    private final ObjectMapper json;
    private final Clock clock;
    private final TrufflesConfig config;
    private final PollerConfig pollerConfig;
    private final LiveSettings settings;
    private final PostHogClient posthog;
    private final IndexesAtStartup indexes;
    private volatile boolean running;
    /** When the next tick polls. */
    private volatile Instant nextPoll = Instant.MIN;
    /** A settings change while polling: poll again at the next tick rather than after the old interval. */
    private volatile boolean changed;
    private volatile RecordingSource source;
    private PollCursor cursor;
    private volatile Instant lastPoll;
    private volatile String lastFailure;

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
        settings.onChange(now -> {
            changed = true;
            nextPoll = Instant.MIN;
        });
        running = true;
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        posthog.stop();
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

    /**
     * Polls when the interval has passed. Skipped while the previous tick still polls (a long import or a PostHog
     * Retry-After), so polls never overlap.
     */
    @Scheduled(every = "${truffles.poller.tick:500ms}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!running || clock.instant().isBefore(nextPoll)) {
            return;
        }
        if (!indexes.ensured()) {
            // the unique index on posthogSessionId is what makes an import idempotent: none before it exists
            // (IndexesAtStartup creates it, retrying while MongoDB is down, and says so)
            return;
        }
        changed = false;
        Duration wait = pollOnce();
        // the interval is the pause between polls, counted from the end of this one
        nextPoll = changed ? Instant.MIN : clock.instant().plus(wait);
    }

    /** Polls once; answers how long to wait before the next poll. */
    private Duration pollOnce() {
        try {
            source.pollOnce();
            lastPoll = clock.instant();
            if (lastFailure != null) {
                LOG.infof("Polling %s works again", source.name());
            }
            lastFailure = null;
            return source.interval();
        } catch (ConfigurationException misconfigured) {
            // already logged once by the client; wait a whole interval, no retry storm
            lastFailure = misconfigured.getMessage();
            return source.interval();
        } catch (InterruptedException stopping) {
            // only stop() cuts a poll short, and no tick follows it
            return source.interval();
        } catch (MongoTimeoutException | MongoSocketException unreachable) {
            String message = "MongoDB unreachable";
            if (running && !message.equals(lastFailure)) {
                // an outage is said once, as a sentence: the driver's stack trace says nothing more
                LOG.errorf("MongoDB unreachable (%s); polling %s retries every %ss. Check MONGODB_URI and that "
                        + "the server is running.", unreachable.getMessage(), source.name(),
                        RETRY_AFTER_FAILURE.toSeconds());
            }
            lastFailure = message;
            return RETRY_AFTER_FAILURE;
        } catch (Exception | Error failure) {
            String message = failure.getClass().getSimpleName() + ": " + failure.getMessage();
            if (running && !message.equals(lastFailure)) {
                LOG.errorf(failure, "Polling %s failed; retrying in %ss", source.name(),
                        RETRY_AFTER_FAILURE.toSeconds());
            }
            lastFailure = message;
            return RETRY_AFTER_FAILURE;
        }
    }
}
