package io.truffles.poller.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.mongo.Documents;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import io.truffles.poller.PollerConfig;
import io.truffles.poller.importing.ImportOutcome;
import io.truffles.poller.importing.RecordingImport;
import io.truffles.poller.importing.SessionImporter;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class InboxImportTest {
    @Inject
    Documents documents;
    @Inject
    ObjectStorage storage;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;
    @Inject
    PollerConfig config;

    @Test
    void theBundledRealRecordingBecomesAPendingSessionWithItsErrorsAndFailedRequest() throws IOException {
        Path inbox = config.inboxPath().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(
                inbox.resolve(InboxSource.DONE).resolve("checkout-rage-click.rrweb.json")));

        Session session = documents.sessions().find(Filters.eq("metadata.fileName", "checkout-rage-click.rrweb.json"))
                .first();
        assertThat(session).isNotNull();
        assertThat(session.status).isEqualTo(SessionStatus.pending);
        assertThat(session.source).isEqualTo("inbox");
        assertThat(session.snapshotSource).isEqualTo("web");
        assertThat(session.consoleErrors).hasSize(1);
        assertThat(session.networkFailures).extracting(failure -> failure.status).containsExactly(500);
        assertThat(session.duration).isBetween(5.0, 30.0);
        assertThat(session.startTime).isNotNull();
        // an inbox recording has no PostHog listing to name its first page: its own first Meta event does
        assertThat(session.metadata).containsEntry("start_url", "http://127.0.0.1:37091/");
        assertThat(session.rrwebEventsUrl).isEqualTo(StorageKeys.rrwebEvents(session.posthogSessionId));

        JsonNode events = json.readTree(storage.read(session.rrwebEventsUrl));
        assertThat(events.isArray()).isTrue();
        assertThat(events).hasSize(55);
        assertThat(events.get(0).get("timestamp").asLong()).isEqualTo(session.startTime.toEpochMilli());
        assertThat(json.readTree(storage.read(StorageKeys.metadata(session.posthogSessionId))).get("fileName")
                .asText()).isEqualTo("checkout-rage-click.rrweb.json");
    }

    @Test
    void droppingTheSameRecordingTwiceCreatesOneSessionAndBothFilesAreMovedAside() throws IOException {
        Path inbox = config.inboxPath().orElseThrow();
        byte[] recording = resource("/recordings/checkout-rage-click.posthog.jsonl");
        drop(inbox, "first.jsonl", recording);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(inbox.resolve(InboxSource.DONE).resolve("first.jsonl")));
        drop(inbox, "again.jsonl", recording);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(inbox.resolve(InboxSource.DONE).resolve("again.jsonl")));

        assertThat(documents.sessions().countDocuments(Filters.eq("metadata.fileName", "first.jsonl"))).isEqualTo(1);
        assertThat(documents.sessions().countDocuments(Filters.eq("metadata.fileName", "again.jsonl"))).isZero();
        assertThat(Files.exists(inbox.resolve("first.jsonl"))).isFalse();
    }

    @Test
    void aFileWithNoRecordingIsMovedToFailedWithTheReason() throws IOException {
        Path inbox = config.inboxPath().orElseThrow();
        drop(inbox, "notes.txt", "these are my notes, not a recording\n".getBytes(StandardCharsets.UTF_8));
        Path reason = inbox.resolve(InboxSource.FAILED).resolve("notes.txt.reason.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));

        assertThat(Files.readString(reason)).contains("was not imported").contains("line 1: not JSON");
        assertThat(Files.exists(inbox.resolve(InboxSource.FAILED).resolve("notes.txt"))).isTrue();
    }

    @Test
    void aRecordingWithBrokenLinesIsImportedAndTheLinesAreNamedBesideIt() throws IOException {
        Path inbox = config.inboxPath().orElseThrow();
        List<String> lines = new ArrayList<>(new String(resource("/recordings/checkout-rage-click.posthog.jsonl"),
                StandardCharsets.UTF_8).lines().toList());
        lines.set(4, "[\"w\", {broken");
        drop(inbox, "broken.jsonl", String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
        Path reason = inbox.resolve(InboxSource.DONE).resolve("broken.jsonl.reason.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));

        assertThat(Files.readString(reason)).contains("line 5: not JSON");
        Session session = documents.sessions().find(Filters.eq("metadata.fileName", "broken.jsonl")).first();
        assertThat(session.metadata.get("importProblems").toString()).contains("line 5");
    }

    @Test
    void importingARecordingAgainAfterACrashBeforeTheInsertCreatesNothingTwice() throws Exception {
        SessionImporter importer = new SessionImporter(documents, storage, json, clock);
        RecordingImport recording = new RecordingImport("crash-test-1", RecordingImport.POSTHOG, "web",
                json.createObjectNode().put("id", "crash-test-1"), "user-1", "ada@example.com", null, null);
        byte[] events = resource("/recordings/checkout-rage-click.posthog.jsonl");
        // the first attempt wrote storage and then "crashed": simulate by writing storage only, then importing twice
        storage.put(StorageKeys.rrwebEvents("crash-test-1"), "[]".getBytes(StandardCharsets.UTF_8),
                "application/json");

        ImportOutcome first = importer.importRecording(recording, new ByteArrayInputStream(events));
        ImportOutcome second = importer.importRecording(recording, new ByteArrayInputStream(events));

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(documents.sessions().countDocuments(Filters.eq("posthogSessionId", "crash-test-1"))).isEqualTo(1);
        assertThat(json.readTree(storage.read(StorageKeys.rrwebEvents("crash-test-1")))).hasSize(55);
        Session session = documents.sessions().find(Filters.eq("posthogSessionId", "crash-test-1")).first();
        assertThat(session.userEmail).isEqualTo("ada@example.com");
        assertThat(session.userId).isEqualTo("user-1");
    }

    @Test
    void aMobileRecordingIsKeptAwayFromTheRenderer() throws Exception {
        SessionImporter importer = new SessionImporter(documents, storage, json, clock);
        RecordingImport recording = new RecordingImport("mobile-1", RecordingImport.POSTHOG, RecordingImport.MOBILE,
                json.createObjectNode(), null, null, null, null);
        importer.importRecording(recording, new ByteArrayInputStream(
                "[\"w\",{\"type\":4,\"timestamp\":5,\"data\":{\"href\":\"app\"}}]".getBytes(StandardCharsets.UTF_8)));

        Session session = documents.sessions().find(Filters.eq("posthogSessionId", "mobile-1")).first();
        assertThat(session.snapshotSource).isEqualTo("mobile");
        assertThat(session.status).isNotEqualTo(SessionStatus.pending);
    }

    private static void drop(Path inbox, String name, byte[] content) throws IOException {
        // written beside, then renamed: the way anyone should drop a file into a watched folder
        Path part = inbox.resolve("." + name + ".part");
        Files.write(part, content);
        Files.move(part, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
