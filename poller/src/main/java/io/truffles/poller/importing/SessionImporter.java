package io.truffles.poller.importing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.Filters;
import io.truffles.core.documents.Session;
import io.truffles.core.mongo.Documents;
import io.truffles.core.sessions.SessionStore;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.poller.decode.DecodedRecording;
import io.truffles.poller.decode.LineProblem;
import io.truffles.poller.decode.SnapshotDecoder;
import io.truffles.poller.extract.FactsCollector;
import io.truffles.poller.extract.SessionFacts;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Turns one recording into a session: decodes and extracts in one pass, writes {@code rrweb-events.json} (a JSON
 * array of rrweb events sorted by timestamp, each keeping its {@code windowId}) and {@code metadata.json} to storage,
 * then inserts the session. Storage keys are deterministic and the insert is guarded by the unique index on
 * {@code posthogSessionId}, so a crash between the two steps, a second poll or a second poller creates nothing
 * twice. Web recordings are inserted {@code pending} (the renderer's input); mobile ones, which the web replayer
 * cannot render, go straight to {@code analyzing}.
 */
public final class SessionImporter {
    private static final Logger LOG = Logger.getLogger(SessionImporter.class);

    private final Documents documents;
    private final SessionStore sessions;
    private final ObjectStorage storage;
    private final ObjectMapper json;
    private final SnapshotDecoder decoder;

    public SessionImporter(Documents documents, ObjectStorage storage, ObjectMapper json, Clock clock) {
        this.documents = documents;
        this.sessions = new SessionStore(documents, clock);
        this.storage = storage;
        this.json = json;
        this.decoder = new SnapshotDecoder(json);
    }

    public boolean alreadyImported(String posthogSessionId) {
        return documents.sessions().countDocuments(Filters.eq("posthogSessionId", posthogSessionId)) > 0;
    }

    public ImportOutcome importRecording(RecordingImport recording, InputStream events)
            throws IOException, UnusableRecordingException {
        FactsCollector collector = new FactsCollector(json);
        DecodedRecording decoded = decoder.decode(events, collector);
        if (decoded.events().isEmpty()) {
            String why = decoded.problems().isEmpty() ? "it holds no events"
                    : "no event could be read (" + decoded.problems().get(0) + ")";
            throw new UnusableRecordingException("Recording " + recording.posthogSessionId() + " was not imported: "
                    + why);
        }
        long first = decoded.firstTimestamp().orElseThrow();
        SessionFacts facts = collector.facts(first);

        String eventsKey = StorageKeys.rrwebEvents(recording.posthogSessionId());
        Path file = Files.createTempFile("truffles-rrweb-", ".json");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                decoded.writeJsonArray(out);
            }
            storage.put(eventsKey, file, "application/json");
        } finally {
            Files.deleteIfExists(file);
        }
        ObjectNode metadata = recording.metadata() == null ? json.createObjectNode() : recording.metadata();
        storage.put(StorageKeys.metadata(recording.posthogSessionId()), json.writeValueAsBytes(metadata),
                "application/json");

        Session session = session(recording, decoded, facts, eventsKey, metadata);
        boolean created = sessions.importRecording(session, !recording.mobile());
        if (created) {
            LOG.infof("Imported session %s from %s: %d events, %d console errors, %d failed requests%s",
                    recording.posthogSessionId(), recording.source(), decoded.events().size(),
                    facts.consoleErrors().size(), facts.networkFailures().size(),
                    decoded.problems().isEmpty() ? "" : ", " + decoded.problems().size() + " unreadable lines");
        }
        return new ImportOutcome(recording.posthogSessionId(), created, decoded.events().size(), decoded.problems());
    }

    /**
     * Records a recording that can never be imported (deleted, blocks gone, unreadable) as a {@code failed} session,
     * so it is visible to operators and never fetched again.
     */
    public boolean recordFailure(RecordingImport recording, String reason) {
        Session session = new Session();
        session.posthogSessionId = recording.posthogSessionId();
        session.source = recording.source();
        session.snapshotSource = recording.snapshotSource();
        session.userId = recording.userId();
        session.userEmail = recording.userEmail();
        session.startTime = recording.startTime();
        session.duration = recording.durationSeconds();
        session.metadata = recording.metadata() == null ? null : toMap(recording.metadata());
        session.consoleErrors = List.of();
        session.networkFailures = List.of();
        boolean created = sessions.recordUnimportable(session, reason);
        if (created) {
            LOG.warnf("Recording %s will not be imported: %s", recording.posthogSessionId(), reason);
        }
        return created;
    }

    private Session session(RecordingImport recording, DecodedRecording decoded, SessionFacts facts,
            String eventsKey, ObjectNode metadata) {
        long first = decoded.firstTimestamp().orElseThrow();
        long last = decoded.lastTimestamp().orElseThrow();
        Session session = new Session();
        session.posthogSessionId = recording.posthogSessionId();
        session.source = recording.source();
        session.snapshotSource = recording.snapshotSource() == null ? RecordingImport.WEB : recording.snapshotSource();
        session.userId = recording.userId();
        session.userEmail = recording.userEmail();
        session.startTime = recording.startTime() != null ? recording.startTime() : Instant.ofEpochMilli(first);
        session.duration = recording.durationSeconds() != null ? recording.durationSeconds() : (last - first) / 1000.0;
        session.rrwebEventsUrl = eventsKey;
        Map<String, Object> stored = toMap(metadata);
        if (!stored.containsKey("start_url") && facts.firstUrl() != null) {
            // PostHog's listing names the page a recording starts on; a recording from the inbox says it itself
            stored.put("start_url", facts.firstUrl());
        }
        if (!decoded.problems().isEmpty()) {
            List<String> problems = new ArrayList<>();
            decoded.problems().stream().map(LineProblem::toString).forEach(problems::add);
            stored.put("importProblems", problems);
        }
        session.metadata = stored;
        session.consoleErrors = facts.consoleErrors();
        session.networkFailures = facts.networkFailures();
        return session;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> toMap(ObjectNode metadata) {
        return json.convertValue(metadata, Map.class);
    }
}
