package io.truffles.core.mongo;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.IssueCount;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The beans every service gets from core, on Quarkus's own MongoDB and S3 clients. */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class QuarkusWiringTest {
    @Inject
    Documents documents;
    @Inject
    LiveSettings settings;
    @Inject
    SettingsStore store;
    @Inject
    ObjectStorage storage;

    @Test
    void aSessionRoundTripsWithTheSeedsFieldNames() {
        Session session = new Session();
        session.posthogSessionId = "wiring-" + System.nanoTime();
        session.status = SessionStatus.pending;
        session.startTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        session.issueCount = new IssueCount(1, 2);
        ConsoleError error = new ConsoleError();
        error.message = "TypeError: x is undefined";
        error.offsetSeconds = 12.5;
        session.consoleErrors = List.of(error);
        session.metadata = Map.of("browser", "Chrome");
        documents.sessions().insertOne(session);

        Document raw = documents.database().getCollection("sessions").find(eq("_id", session.id)).first();
        assertThat(raw.getString("status")).isEqualTo("pending");
        assertThat(raw.get("issueCount", Document.class).getInteger("yellow")).isEqualTo(2);
        assertThat(raw.getDate("startTime").toInstant()).isEqualTo(session.startTime);

        Session read = documents.sessions().find(eq("_id", session.id)).first();
        assertThat(read.consoleErrors).singleElement()
                .satisfies(e -> assertThat(e.message).isEqualTo("TypeError: x is undefined"));
        assertThat(read.metadata).containsEntry("browser", "Chrome");
    }

    @Test
    void theSettingsDocumentExistsFromStartUpAndChangesApplyLive() {
        await().atMost(Duration.ofSeconds(5)).until(() -> documents.settings().countDocuments() == 1);
        assertThat(settings.current().pollingIntervalSeconds).isEqualTo(60);

        store.update(List.of(Updates.set("rendererConcurrency", 3)));

        await().atMost(Duration.ofSeconds(2)).until(() -> settings.current().rendererConcurrency == 3);
    }

    @Test
    void storageCreatesItsBucketAndPresignsUrls() {
        String key = StorageKeys.metadata("wiring");
        storage.put(key, "{}".getBytes(), "application/json");
        assertThat(storage.presignedGet(key).toString()).contains("/truffles-test/sessions/wiring/metadata.json");
    }
}
