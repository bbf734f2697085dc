package io.truffles.core.queue;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoCollection;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.testing.JavaProcess;
import io.truffles.core.testing.QueueFixtures;
import io.truffles.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class KilledWorkerIT {
    /**
     * Long enough that a loaded machine's pauses do not let a live worker's lease lapse (it heartbeats every third of
     * it): 3 s was not, with a load average of 12 on 2 cores.
     */
    private static final Duration LEASE = Duration.ofSeconds(5);

    @Test
    void aWorkerKilledMidJobLosesItToAnotherAfterTheLeaseExpiresAndItsLateFinishIsFenced() throws Exception {
        try (TestDatabase database = TestDatabase.start()) {
            MongoCollection<Session> sessions = database.documents().sessions();
            Session session = QueueFixtures.pendingSession(Instant.now());
            sessions.insertOne(session);
            JobQueue<Session> survivor = new JobQueue<>(sessions, QueueStage.RENDER.withLeaseTtl(LEASE),
                    Clock.systemUTC(), "renderer@survivor:1");

            String[] claimed;
            try (JavaProcess doomed = JavaProcess.start(HoldingWorkerProcess.class, database.uri(),
                    Long.toString(LEASE.toMillis()))) {
                claimed = doomed.awaitLine("CLAIMED ", 60).split(" ");
                assertThat(claimed[1]).isEqualTo(session.id.toHexString());
                // while its process lives, heartbeats keep the lease past two expiries
                await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(4))
                        .until(() -> survivor.claim().isEmpty());
                assertThat(sessions.find(eq("_id", session.id)).first().lease.owner)
                        .endsWith(":" + doomed.pid());
                doomed.kill();
            }

            AtomicReference<Claim<Session>> reclaimed = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Optional<Claim<Session>> claim = survivor.claim();
                claim.ifPresent(reclaimed::set);
                return claim.isPresent();
            });
            assertThat(reclaimed.get().attempt()).isEqualTo(2);

            Claim<Session> stale = new Claim<>(new ObjectId(claimed[1]), claimed[2], session);
            assertThat(survivor.finish(stale, SessionStatus.analyzing.name())).isFalse();
            assertThat(sessions.find(eq("_id", session.id)).first().status).isEqualTo(SessionStatus.rendering);

            assertThat(survivor.finish(reclaimed.get(), SessionStatus.analyzing.name())).isTrue();
            Session done = sessions.find(eq("_id", session.id)).first();
            assertThat(done.status).isEqualTo(SessionStatus.analyzing);
            assertThat(done.lease).isNull();
        }
    }
}
