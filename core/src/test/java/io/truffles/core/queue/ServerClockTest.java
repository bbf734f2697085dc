package io.truffles.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import io.truffles.core.documents.Session;
import io.truffles.core.testing.QueueFixtures;
import io.truffles.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import org.bson.Document;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runners on hosts whose clocks differ, against the one embedded MongoDB (whose clock is this machine's): leases
 * written and compared in the server's time hold whatever each host's clock says.
 */
class ServerClockTest {
    @AutoClose
    private static final TestDatabase database = TestDatabase.start();
    private MongoCollection<Session> sessions;

    @BeforeEach
    void emptyCollection() {
        sessions = database.documents().sessions();
        sessions.deleteMany(new Document());
    }

    private static ServerClock serverTimeOn(Clock host) {
        return ServerClock.of(host, database.documents().database()).measure();
    }

    @Test
    void aRunnerWhoseClockIs40SecondsAheadDoesNotReclaimALiveLease() {
        // a lease of 30 s, just renewed by the runner holding it, whose host's clock is right
        QueueStage stage = QueueStage.RENDER.withLeaseTtl(Duration.ofSeconds(30));
        JobQueue<Session> holder = new JobQueue<>(sessions, stage, serverTimeOn(Clock.systemUTC()), "renderer@right:1");
        sessions.insertOne(QueueFixtures.pendingSession(Clock.systemUTC().instant()));
        assertThat(holder.claim()).isPresent();
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(40));
        ServerClock aheadInServerTime = serverTimeOn(ahead);

        assertThat(aheadInServerTime.offset()).isBetween(Duration.ofSeconds(-41), Duration.ofSeconds(-39));
        assertThat(aheadInServerTime.trusted()).isTrue();
        assertThat(new JobQueue<>(sessions, stage, aheadInServerTime, "renderer@ahead:2").claim())
                .as("the lease is live in the server's time").isEmpty();
        // what each host's own clock did before: the runner ahead took the live job
        assertThat(new JobQueue<>(sessions, stage, ahead, "renderer@ahead:3").claim()).isPresent();
    }

    @Test
    void aRunnerWhoseClockIsOffPastTheBoundClaimsNothingAndSaysSo() {
        sessions.insertOne(QueueFixtures.pendingSession(Clock.systemUTC().instant()));
        ServerClock farAhead = serverTimeOn(Clock.offset(Clock.systemUTC(), ServerClock.MAX_SKEW.plusSeconds(60)));

        assertThat(farAhead.trusted()).isFalse();
        assertThat(new JobQueue<>(sessions, QueueStage.RENDER, farAhead, "renderer@far:1").claim()).isEmpty();
        assertThat(new JobQueue<>(sessions, QueueStage.RENDER, serverTimeOn(Clock.systemUTC()), "renderer@ok:2")
                .claim()).isPresent();
    }
}
