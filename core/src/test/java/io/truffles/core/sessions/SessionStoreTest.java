package io.truffles.core.sessions;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Updates;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.mongo.Documents;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.testing.MutableClock;
import io.truffles.core.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The session moves outside the render and analysis stages: import, an unimportable recording, a person's retry. */
class SessionStoreTest {
    @AutoClose
    private static final TestDatabase database = TestDatabase.start();
    private static final Documents documents = database.documents();
    private MutableClock clock;
    private SessionStore store;

    @BeforeAll
    static void createIndexes() {
        SessionStore.ensureIndexes(documents);
    }

    @BeforeEach
    void freshStore() {
        clock = MutableClock.startingNow();
        store = new SessionStore(documents, clock);
    }

    @Test
    void aRecordingIsImportedOncePendingOrAnalyzingWhenThereIsNothingToRender() {
        Session web = session();
        Session mobile = session();

        assertThat(store.importRecording(web, true)).isTrue();
        assertThat(store.importRecording(mobile, false)).isTrue();
        Session again = session();
        again.posthogSessionId = web.posthogSessionId;
        assertThat(store.importRecording(again, true)).as("the unique posthogSessionId").isFalse();

        assertThat(stored(web).status).isEqualTo(SessionStatus.pending);
        assertThat(stored(web).createdAt).isEqualTo(clock.instant());
        assertThat(stored(mobile).status).isEqualTo(SessionStatus.analyzing);
        assertThat(documents.sessions().countDocuments(eq("posthogSessionId", web.posthogSessionId))).isEqualTo(1);
    }

    @Test
    void anUnimportableRecordingIsKeptFailedWithItsReasonOnce() {
        Session gone = session();

        assertThat(store.recordUnimportable(gone, "deleted in PostHog")).isTrue();
        Session again = session();
        again.posthogSessionId = gone.posthogSessionId;
        assertThat(store.recordUnimportable(again, "deleted in PostHog")).isFalse();

        assertThat(stored(gone).status).isEqualTo(SessionStatus.failed);
        assertThat(stored(gone).lastError).isEqualTo("deleted in PostHog");
    }

    @TestFactory
    Stream<DynamicTest> aRetryMovesOnlyAFailedSessionBackToTheStagesInput() {
        List<DynamicTest> tests = new ArrayList<>();
        for (QueueStage stage : List.of(QueueStage.RENDER, QueueStage.ANALYZE)) {
            for (SessionStatus from : SessionStatus.values()) {
                boolean allowed = from == SessionStatus.failed;
                tests.add(DynamicTest.dynamicTest(stage.name() + " retry from " + from
                        + (allowed ? " moves" : " is refused"), () -> {
                    Session session = session();
                    store.importRecording(session, true);
                    ObjectId id = stored(session).id;
                    documents.sessions().updateOne(eq("_id", id), Updates.combine(
                            Updates.set("status", from.name()), Updates.set("attempts", 3)));

                    assertThat(store.retry(id, stage)).isEqualTo(allowed);

                    Session after = stored(session);
                    if (allowed) {
                        assertThat(after.status.name()).isEqualTo(stage.inputStatus());
                        assertThat(after.attempts).isZero();
                    } else {
                        assertThat(after.status).isEqualTo(from);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void onlyASessionStageRetriesASession() {
        assertThatThrownBy(() -> store.retry(new ObjectId(), QueueStage.AGENT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Session session() {
        Session session = new Session();
        session.posthogSessionId = "test-" + UUID.randomUUID();
        return session;
    }

    private static Session stored(Session session) {
        return documents.sessions().find(eq("posthogSessionId", session.posthogSessionId)).first();
    }
}
