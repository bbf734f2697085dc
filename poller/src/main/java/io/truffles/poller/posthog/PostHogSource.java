package io.truffles.poller.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.MongoException;
import io.truffles.core.error.LeaseLostException;
import io.truffles.core.settings.LiveSettings;
import io.truffles.poller.PollerConfig;
import io.truffles.poller.RecordingSource;
import io.truffles.poller.importing.RecordingImport;
import io.truffles.poller.importing.SessionImporter;
import io.truffles.poller.importing.UnusableRecordingException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Imports finished PostHog recordings, oldest first, from the cursor on. A recording is taken once PostHog no longer
 * calls it {@code ongoing} and it has been quiet for the quiet period; the cursor moves only past recordings that are
 * done (imported, or recorded as failed for good), so a restart neither misses nor repeats one. A recording that is
 * not ready, or that PostHog cannot serve right now, holds the cursor and does not hold up the recordings after it.
 */
public final class PostHogSource implements RecordingSource {
    private static final Logger LOG = Logger.getLogger(PostHogSource.class);

    private final PostHogClient client;
    private final SessionImporter importer;
    private final PollCursor cursor;
    private final LiveSettings settings;
    private final PollerConfig.PostHog config;
    private final Clock clock;

    public PostHogSource(PostHogClient client, SessionImporter importer, PollCursor cursor, LiveSettings settings,
            PollerConfig.PostHog config, Clock clock) {
        this.client = client;
        this.importer = importer;
        this.cursor = cursor;
        this.settings = settings;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return RecordingImport.POSTHOG;
    }

    @Override
    public Duration interval() {
        Integer seconds = settings.current().pollingIntervalSeconds;
        return Duration.ofSeconds(seconds == null || seconds < 1 ? 60 : seconds);
    }

    @Override
    public int pollOnce() throws Exception {
        if (!cursor.acquire()) {
            LOG.debugf("Another poller works PostHog project %s; skipping this poll", client.projectId());
            return 0;
        }
        // a poll can wait far longer than the lease lives (Retry-After, the hourly snapshot limit, a slow download):
        // renewed all along, so no second poller takes over a live one
        ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "posthog-lease");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(10, cursor.ttl().toMillis() / 3);
        renewals.scheduleAtFixedRate(this::renewLease, period, period, TimeUnit.MILLISECONDS);
        try {
            return importFromCursor();
        } finally {
            renewals.shutdownNow();
        }
    }

    private void renewLease() {
        try {
            if (!cursor.acquire()) {
                // ends the renewals (renewing again could take the project back); the poll notices before its next
                // recording
                throw new LeaseLostException("lease on PostHog project " + client.projectId() + " lost");
            }
        } catch (MongoException unreachable) {
            // the lease holds until its TTL; the next renewal tries again
            LOG.debugf("Could not renew the lease on PostHog project %s: %s", client.projectId(),
                    unreachable.getMessage());
        }
    }

    private int importFromCursor() throws Exception {
        Instant position = cursor.position();
        String dateFrom = position == null ? config.firstDateFrom() : position.toString();
        boolean holding = false;
        int processed = 0;
        int offset = 0;
        RecordingsPage page;
        do {
            page = client.listRecordings(dateFrom, offset, config.pageSize());
            offset += page.results().size();
            for (ObjectNode recording : page.results()) {
                String id = recording.path("id").asText("");
                Instant start = instant(recording.path("start_time"));
                if (id.isBlank() || start == null) {
                    continue;
                }
                // renewed before each recording, held or not, so a long poll keeps the project to itself
                if (!cursor.acquire()) {
                    LOG.warnf("Lost PostHog project %s to another poller; stopping this poll", client.projectId());
                    return processed;
                }
                Outcome outcome = process(recording, id, start);
                if (outcome == Outcome.DONE) {
                    processed++;
                } else if (outcome == Outcome.HOLD) {
                    holding = true;
                }
                // the cursor moves past a recording only when it and every one before it are done
                if (!holding && !cursor.advance(start)) {
                    LOG.warnf("Lost PostHog project %s to another poller; stopping this poll", client.projectId());
                    return processed;
                }
            }
        } while (page.hasNext() && !page.results().isEmpty());
        return processed;
    }

    private enum Outcome { DONE, SKIPPED, HOLD }

    private Outcome process(ObjectNode recording, String id, Instant start) throws Exception {
        if (importer.alreadyImported(id)) {
            return Outcome.SKIPPED;
        }
        if (!finished(recording, start)) {
            return Outcome.HOLD;
        }
        RecordingImport details = details(recording, id, start);
        Path file = Files.createTempFile("truffles-posthog-", ".jsonl");
        try {
            List<SnapshotSource> sources = client.sources(id);
            if (sources.isEmpty()) {
                importer.recordFailure(details, "PostHog lists no snapshot data for this recording");
                return Outcome.DONE;
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                client.downloadSnapshots(id, sources, out);
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                importer.importRecording(details, in);
            }
            return Outcome.DONE;
        } catch (RecordingGoneException gone) {
            importer.recordFailure(details, gone.getMessage());
            return Outcome.DONE;
        } catch (UnusableRecordingException unusable) {
            importer.recordFailure(details, unusable.getMessage());
            return Outcome.DONE;
        } catch (PostHogUnavailableException unavailable) {
            LOG.warnf("Recording %s left for the next poll: %s", id, unavailable.getMessage());
            return Outcome.HOLD;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Not {@code ongoing}, and nothing added for the quiet period (a session may resume after a pause). */
    private boolean finished(ObjectNode recording, Instant start) {
        if (recording.path("ongoing").asBoolean(false)) {
            return false;
        }
        Instant end = instant(recording.path("end_time"));
        if (end == null) {
            Double duration = number(recording.path("recording_duration"));
            end = duration == null ? start : start.plusMillis(Math.round(duration * 1000));
        }
        return !end.plus(config.quietPeriod()).isAfter(clock.instant());
    }

    private static RecordingImport details(ObjectNode recording, String id, Instant start) {
        JsonNode person = recording.path("person");
        String email = person.path("properties").path("email").asText(null);
        String userId = recording.path("distinct_id").asText(null);
        String snapshotSource = recording.path("snapshot_source").asText(RecordingImport.WEB);
        return new RecordingImport(id, RecordingImport.POSTHOG, snapshotSource, recording, userId, email, start,
                number(recording.path("recording_duration")));
    }

    /** PostHog sends durations as numbers or, in older payloads, as strings ("1172.675"). */
    private static Double number(JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.asText());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    private static Instant instant(JsonNode value) {
        if (!value.isTextual()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
