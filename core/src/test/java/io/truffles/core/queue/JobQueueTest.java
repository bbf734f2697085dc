package io.truffles.core.queue;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AgentStatusChange;
import io.truffles.core.documents.Lease;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.error.UnrecoverableJobException;
import io.truffles.core.mongo.Documents;
import io.truffles.core.testing.MutableClock;
import io.truffles.core.testing.QueueFixtures;
import io.truffles.core.testing.TestDatabase;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class JobQueueTest {
    @AutoClose
    private static final TestDatabase database = TestDatabase.start();
    private static final Documents documents = database.documents();
    private MongoCollection<Session> sessions;
    private MutableClock clock;

    @BeforeEach
    void emptyCollection() {
        sessions = documents.sessions();
        sessions.deleteMany(new org.bson.Document());
        documents.agentSessions().deleteMany(new org.bson.Document());
        clock = MutableClock.startingNow();
    }

    private JobQueue<Session> queue(String owner, Clock clock) {
        return new JobQueue<>(sessions, QueueStage.RENDER, clock, owner);
    }

    @Test
    void exactlyOneOfTwoRacingWorkersWinsEachDocument() throws Exception {
        JobQueue<Session> first = queue("renderer@a:1", Clock.systemUTC());
        JobQueue<Session> second = queue("renderer@b:2", Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 300; round++) {
                Session session = QueueFixtures.pendingSession(clock.instant());
                sessions.insertOne(session);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Optional<Claim<Session>>> a = pool.submit(() -> {
                    start.await();
                    return first.claim();
                });
                Future<Optional<Claim<Session>>> b = pool.submit(() -> {
                    start.await();
                    return second.claim();
                });
                int winners = (a.get().isPresent() ? 1 : 0) + (b.get().isPresent() ? 1 : 0);
                assertThat(winners).as("winners of round %d", round).isEqualTo(1);
                Session stored = sessions.find(eq("_id", session.id)).first();
                assertThat(stored.attempts).isEqualTo(1);
                assertThat(stored.status).isEqualTo(SessionStatus.rendering);
                Claim<Session> won = a.get().isPresent() ? a.get().get() : b.get().get();
                assertThat(first.finish(won, SessionStatus.analyzing.name())
                        || second.finish(won, SessionStatus.analyzing.name())).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fourWorkersDrainAThousandJobsWithNoneProcessedTwiceAndNoneLost() {
        QueueFixtures.insertPending(sessions, 1000, clock.instant());
        Map<ObjectId, AtomicInteger> processed = new ConcurrentHashMap<>();
        Doorbell doorbell = new Doorbell();
        List<QueueWorker<Session>> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JobQueue<Session> queue = queue("renderer@host:" + i, Clock.systemUTC());
            workers.add(new QueueWorker<>(queue, job -> {
                processed.computeIfAbsent(job.document().id, id -> new AtomicInteger()).incrementAndGet();
                return JobOutcome.moveTo(SessionStatus.analyzing);
            }, doorbell, () -> 2, Duration.ofMillis(200), Clock.systemUTC()).start());
        }
        try {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> sessions.countDocuments(eq("status", SessionStatus.analyzing.name())) == 1000);
        } finally {
            workers.forEach(QueueWorker::close);
        }
        assertThat(processed).hasSize(1000);
        assertThat(processed.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(sessions.countDocuments(eq("lease", null))).isEqualTo(1000);
    }

    @Test
    void anExpiredLeaseIsClaimedAgainAndTheFormerHoldersWritesAreFenced() {
        Session session = QueueFixtures.pendingSession(clock.instant());
        sessions.insertOne(session);
        JobQueue<Session> dead = queue("renderer@dead:1", clock);
        JobQueue<Session> successor = queue("renderer@alive:2", clock);

        Claim<Session> stale = dead.claim().orElseThrow();
        assertThat(successor.claim()).as("claimable while the lease lives").isEmpty();

        clock.advance(QueueStage.RENDER.leaseTtl().plusSeconds(1));
        Claim<Session> fresh = successor.claim().orElseThrow();
        assertThat(fresh.attempt()).isEqualTo(2);

        assertThat(dead.heartbeat(stale)).isFalse();
        assertThat(dead.finish(stale, SessionStatus.analyzing.name())).isFalse();
        assertThat(dead.fail(stale, "late failure", true)).isEqualTo(FailResult.LEASE_LOST);
        Session stored = sessions.find(eq("_id", session.id)).first();
        assertThat(stored.status).isEqualTo(SessionStatus.rendering);
        assertThat(stored.lease.owner).isEqualTo("renderer@alive:2");
        assertThat(stored.lastError).isNull();

        assertThat(successor.finish(fresh, SessionStatus.analyzing.name())).isTrue();
        assertThat(sessions.find(eq("_id", session.id)).first().status).isEqualTo(SessionStatus.analyzing);
    }

    @Test
    void aHeartbeatKeepsTheLeaseAliveBeyondItsFirstExpiry() {
        sessions.insertOne(QueueFixtures.pendingSession(clock.instant()));
        JobQueue<Session> holder = queue("renderer@a:1", clock);
        JobQueue<Session> other = queue("renderer@b:2", clock);
        Claim<Session> claim = holder.claim().orElseThrow();
        for (int beat = 0; beat < 5; beat++) {
            clock.advance(QueueStage.RENDER.leaseTtl().dividedBy(2));
            assertThat(holder.heartbeat(claim)).isTrue();
            assertThat(other.claim()).isEmpty();
        }
    }

    @Test
    void backOffGrowsAndTheLastAttemptEndsFailedWithTheError() {
        QueueStage stage = QueueStage.RENDER.withRetries(3, Duration.ofSeconds(10), Duration.ofMinutes(5));
        JobQueue<Session> queue = new JobQueue<>(sessions, stage, clock, "renderer@a:1");
        Session session = QueueFixtures.pendingSession(clock.instant());
        sessions.insertOne(session);

        Claim<Session> first = queue.claim().orElseThrow();
        assertThat(queue.fail(first, "ffmpeg exited with 1", true)).isEqualTo(FailResult.RETRY_SCHEDULED);
        Session afterFirst = sessions.find(eq("_id", session.id)).first();
        assertThat(afterFirst.status).isEqualTo(SessionStatus.pending);
        assertThat(Duration.between(clock.instant(), afterFirst.nextAttemptAt)).isEqualTo(Duration.ofSeconds(10));
        assertThat(queue.claim()).as("backing off").isEmpty();

        clock.advance(Duration.ofSeconds(10));
        Claim<Session> second = queue.claim().orElseThrow();
        assertThat(queue.fail(second, "ffmpeg exited with 1", true)).isEqualTo(FailResult.RETRY_SCHEDULED);
        Session afterSecond = sessions.find(eq("_id", session.id)).first();
        assertThat(Duration.between(clock.instant(), afterSecond.nextAttemptAt)).isEqualTo(Duration.ofSeconds(20));
        assertThat(queue.nextDueAt()).contains(afterSecond.nextAttemptAt);

        clock.advance(Duration.ofSeconds(20));
        Claim<Session> third = queue.claim().orElseThrow();
        assertThat(queue.fail(third, "ffmpeg exited with 1 on the third try", true)).isEqualTo(FailResult.FAILED);
        Session failed = sessions.find(eq("_id", session.id)).first();
        assertThat(failed.status).isEqualTo(SessionStatus.failed);
        assertThat(failed.lastError).isEqualTo("ffmpeg exited with 1 on the third try");
        assertThat(failed.lease).isNull();
        clock.advance(Duration.ofHours(1));
        assertThat(queue.claim()).isEmpty();
    }

    @Test
    void aReleasedDocumentWaitsWithoutSpendingAttemptsUntilItsTimeOrUntilWoken() {
        JobQueue<Session> queue = queue("analyzer@a:1", clock);
        Session session = QueueFixtures.pendingSession(clock.instant());
        Session other = QueueFixtures.pendingSession(clock.instant().plusMillis(1));
        sessions.insertMany(List.of(session, other));

        for (int day = 0; day < 5; day++) {
            Claim<Session> claim = queue.claim().orElseThrow();
            assertThat(claim.id()).isEqualTo(session.id);
            assertThat(queue.release(claim, clock.instant().plus(Duration.ofDays(1)),
                    Updates.set("waitingReason", "cap reached"))).isTrue();
            assertThat(sessions.find(eq("_id", session.id)).first().waitingReason).isEqualTo("cap reached");
            if (day == 0) {
                Claim<Session> next = queue.claim().orElseThrow();
                assertThat(next.id()).as("the work behind it goes on").isEqualTo(other.id);
                queue.finish(next, SessionStatus.analyzing.name());
            }
            assertThat(queue.claim()).as("waiting for its time").isEmpty();
            clock.advance(Duration.ofDays(1));
        }
        Session waiting = sessions.find(eq("_id", session.id)).first();
        assertThat(waiting.status).isEqualTo(SessionStatus.pending);
        assertThat(waiting.attempts).as("five releases spent no attempt").isZero();
        assertThat(waiting.waitingReason).isEqualTo("cap reached");

        Claim<Session> claim = queue.claim().orElseThrow();
        queue.release(claim, clock.instant().plus(Duration.ofDays(1)));
        assertThat(queue.wakeWaiting(com.mongodb.client.model.Filters.eq("_id", other.id))).isZero();
        assertThat(queue.wakeWaiting(com.mongodb.client.model.Filters.exists("_id"))).isEqualTo(1);
        assertThat(queue.claim()).map(Claim::id).as("woken before its time").contains(session.id);
        assertThat(sessions.find(eq("_id", session.id)).first().waitingReason).as("cleared by the claim").isNull();
    }

    @Test
    void onlyAFailedDocumentIsRequeuedByAPersonAndOnceClaimableAgainWithFreshAttempts() {
        JobQueue<Session> queue = queue("renderer@a:1", clock);
        Session session = QueueFixtures.pendingSession(clock.instant());
        sessions.insertOne(session);
        Claim<Session> claim = queue.claim().orElseThrow();
        assertThat(queue.requeueFailed(session.id)).as("a document being rendered is left alone").isFalse();
        assertThat(queue.heartbeat(claim)).as("its holder keeps the lease").isTrue();
        assertThat(queue.fail(claim, "Chromium crashed", false)).isEqualTo(FailResult.FAILED);
        assertThat(queue.claim()).isEmpty();

        assertThat(queue.requeueFailed(session.id)).isTrue();
        assertThat(queue.requeueFailed(session.id)).as("a second retry finds it no longer failed").isFalse();
        Session requeued = sessions.find(eq("_id", session.id)).first();
        assertThat(requeued.status).isEqualTo(SessionStatus.pending);
        assertThat(requeued.attempts).isZero();
        assertThat(requeued.lastError).isNull();
        assertThat(requeued.nextAttemptAt).isNull();
        assertThat(queue.claim()).map(Claim::id).contains(session.id);
    }

    @Test
    void backOffIsCappedAtItsMaximum() {
        QueueStage stage = QueueStage.RENDER.withRetries(20, Duration.ofSeconds(30), Duration.ofMinutes(30));
        assertThat(stage.backoffAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(stage.backoffAfter(4)).isEqualTo(Duration.ofMinutes(4));
        assertThat(stage.backoffAfter(19)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void anUnrecoverableErrorFailsAtOnceWithoutRetrying() {
        Session session = QueueFixtures.pendingSession(clock.instant());
        sessions.insertOne(session);
        Doorbell doorbell = new Doorbell();
        AtomicInteger calls = new AtomicInteger();
        JobQueue<Session> queue = queue("renderer@a:1", Clock.systemUTC());
        try (QueueWorker<Session> worker = new QueueWorker<>(queue, job -> {
            calls.incrementAndGet();
            throw new UnrecoverableJobException("The recording has no FullSnapshot event; it cannot be replayed.");
        }, doorbell, () -> 1, Duration.ofMillis(100), Clock.systemUTC()).start()) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sessions.find(eq("_id", session.id)).first().status == SessionStatus.failed);
        }
        Session failed = sessions.find(eq("_id", session.id)).first();
        assertThat(failed.lastError).isEqualTo("The recording has no FullSnapshot event; it cannot be replayed.");
        assertThat(failed.attempts).isEqualTo(1);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aDocumentWhoseWorkerDiedOnItsLastAttemptEndsFailedInsteadOfHangingInRendering() {
        QueueStage stage = QueueStage.RENDER.withRetries(1, Duration.ofSeconds(1), Duration.ofSeconds(1));
        JobQueue<Session> queue = new JobQueue<>(sessions, stage, clock, "renderer@a:1");
        Session session = QueueFixtures.pendingSession(clock.instant());
        sessions.insertOne(session);
        queue.claim().orElseThrow();

        assertThat(queue.failAbandoned()).as("lease still alive").isEmpty();
        clock.advance(stage.leaseTtl().plusSeconds(1));
        assertThat(queue.claim()).as("no attempts left").isEmpty();
        assertThat(queue.failAbandoned()).extracting(s -> s.id).containsExactly(session.id);
        Session failed = sessions.find(eq("_id", session.id)).first();
        assertThat(failed.status).isEqualTo(SessionStatus.failed);
        assertThat(failed.lastError).contains("stopped");
    }

    @Test
    void theHandlerIsToldOnceWhenADocumentFailsForGoodOnItsLastAttemptOrWithItsWorkerDead() {
        QueueStage stage = QueueStage.RENDER.withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10));
        Session failing = QueueFixtures.pendingSession(clock.instant());
        sessions.insertOne(failing);
        Session abandoned = QueueFixtures.pendingSession(clock.instant());
        abandoned.status = SessionStatus.rendering;
        abandoned.attempts = 2;
        abandoned.lease = new Lease("renderer@dead:1", "gone", clock.instant().minusSeconds(1));
        sessions.insertOne(abandoned);
        Map<ObjectId, List<String>> told = new ConcurrentHashMap<>();
        AtomicInteger calls = new AtomicInteger();
        JobHandler<Session> handler = new JobHandler<>() {
            @Override
            public JobOutcome handle(JobContext<Session> job) {
                throw new IllegalStateException("render " + calls.incrementAndGet() + " failed");
            }

            @Override
            public void failedForGood(ObjectId id, String lastError) {
                told.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(lastError);
            }
        };
        JobQueue<Session> queue = new JobQueue<>(sessions, stage, Clock.systemUTC(), "renderer@a:1");
        try (QueueWorker<Session> worker = new QueueWorker<>(queue, handler, new Doorbell(), () -> 1,
                Duration.ofMillis(100), Clock.systemUTC()).start()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> told.size() == 2);
        }
        assertThat(calls.get()).as("both attempts ran before it was failed for good").isEqualTo(2);
        assertThat(told.get(failing.id)).containsExactly("IllegalStateException: render 2 failed");
        assertThat(told.get(abandoned.id)).singleElement().asString().contains("stopped");
        assertThat(sessions.find(eq("_id", failing.id)).first().status).isEqualTo(SessionStatus.failed);
    }

    @Test
    void aJobThatFoundTheBucketDownKeepsItsAttemptsAndRunsOnceItIsBackWhereAnyOtherErrorWouldHaveFailedIt() {
        QueueStage stage = QueueStage.RENDER.withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10));
        Session session = QueueFixtures.pendingSession(clock.instant());
        sessions.insertOne(session);
        AtomicInteger calls = new AtomicInteger();
        JobQueue<Session> queue = new JobQueue<>(sessions, stage, Clock.systemUTC(), "renderer@a:1");
        // what the AWS SDK throws while S3 restarts: its own retries used up on a refused connection
        try (QueueWorker<Session> worker = new QueueWorker<>(queue, job -> {
            if (calls.incrementAndGet() <= 4) {
                throw SdkClientException.create("Unable to execute HTTP request: Connection refused (SDK Attempt "
                        + "Count: 4)", new ConnectException("Connection refused"));
            }
            return JobOutcome.moveTo(SessionStatus.analyzing);
        }, new Doorbell(), () -> 1, Duration.ofMillis(100), Clock.systemUTC()).start()) {
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> sessions.find(eq("_id", session.id)).first().status == SessionStatus.analyzing);
        }
        assertThat(calls.get()).as("four outages, more than its two attempts, then the render").isEqualTo(5);
        assertThat(sessions.find(eq("_id", session.id)).first().attempts).isZero();
    }

    @Test
    void aJobHandedBackForAStorageOutageWaitsWithItsAttemptReturnedAndTheReason() {
        JobQueue<Session> queue = queue("renderer@a:1", clock);
        Session session = QueueFixtures.pendingSession(clock.instant());
        sessions.insertOne(session);
        Claim<Session> claim = queue.claim().orElseThrow();
        assertThat(queue.handBack(claim, "SdkClientException: Connection refused", clock.instant().plusSeconds(30)))
                .isTrue();
        Session waiting = sessions.find(eq("_id", session.id)).first();
        assertThat(waiting.status).isEqualTo(SessionStatus.pending);
        assertThat(waiting.attempts).isZero();
        assertThat(waiting.lease).isNull();
        assertThat(waiting.lastError).isEqualTo("SdkClientException: Connection refused");
        assertThat(queue.claim()).as("waiting for the storage").isEmpty();
        assertThat(queue.handBack(claim, "again", clock.instant())).as("the claim is no longer held").isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(queue.claim()).map(Claim::id).contains(session.id);
    }

    @Test
    void aNewDocumentWakesAnIdleWorkerThroughTheChangeStreamBeforeThePollWouldHave() {
        Doorbell doorbell = new Doorbell();
        AtomicInteger handled = new AtomicInteger();
        JobQueue<Session> queue = queue("renderer@a:1", Clock.systemUTC());
        try (CollectionWatcher watcher = new CollectionWatcher(sessions, doorbell, clock).start();
                QueueWorker<Session> worker = new QueueWorker<>(queue, job -> {
                    handled.incrementAndGet();
                    return JobOutcome.moveTo(SessionStatus.analyzing);
                }, doorbell, () -> 1, Duration.ofMinutes(5), Clock.systemUTC()).start()) {
            await().atMost(Duration.ofSeconds(10)).until(watcher::streaming);
            sessions.insertOne(QueueFixtures.pendingSession(clock.instant()));
            // the worker's poll is 5 minutes: only the stream's event can have woken it this soon
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 1);
            assertThat(watcher.events()).as("change events seen").isPositive();
        }
    }

    @Test
    void anAgentsEveryQueueStatusIsRecordedInItsHistoryInOrder() {
        MongoCollection<AgentSession> agents = documents.agentSessions();
        AgentSession agent = new AgentSession();
        agent.issueId = new ObjectId();
        agent.status = AgentStatus.queued;
        agent.statusHistory = new ArrayList<>(List.of(new AgentStatusChange(AgentStatus.queued, clock.instant())));
        agents.insertOne(agent);
        JobQueue<AgentSession> queue = new JobQueue<>(agents, QueueStage.AGENT, clock, "agent-runner@a:1");

        Claim<AgentSession> first = queue.claim().orElseThrow();
        assertThat(queue.fail(first, "the model API timed out", true)).isEqualTo(FailResult.RETRY_SCHEDULED);
        clock.advance(Duration.ofHours(1));
        Claim<AgentSession> second = queue.claim().orElseThrow();
        assertThat(queue.finish(second, AgentStatus.done.name())).isTrue();

        AgentSession stored = agents.find(eq("_id", agent.id)).first();
        assertThat(stored.statusHistory).extracting(change -> change.status).containsExactly(AgentStatus.queued,
                AgentStatus.starting, AgentStatus.queued, AgentStatus.starting, AgentStatus.done);
        assertThat(stored.statusHistory).extracting(change -> change.at).doesNotContainNull();
    }

    @Test
    void aSessionMovedOutOfAnalysisWhileHeldIsNotCompleted() {
        Session session = QueueFixtures.pendingSession(clock.instant());
        session.status = SessionStatus.analyzing;
        sessions.insertOne(session);
        JobQueue<Session> queue = new JobQueue<>(sessions, QueueStage.ANALYZE, clock, "analyzer@a:1");
        Claim<Session> claim = queue.claim().orElseThrow();
        // whatever moved it kept the lease: only the status fence can refuse the move
        sessions.updateOne(eq("_id", session.id), Updates.set("status", SessionStatus.failed.name()));

        assertThat(queue.finish(claim, SessionStatus.complete.name())).isFalse();
        assertThat(queue.fail(claim, "late failure", true)).isEqualTo(FailResult.LEASE_LOST);
        Session stored = sessions.find(eq("_id", session.id)).first();
        assertThat(stored.status).isEqualTo(SessionStatus.failed);
        assertThat(stored.lastError).isNull();
    }

    @Test
    void anAgentThatEndedWhileHeldIsNotMarkedDone() {
        MongoCollection<AgentSession> agents = documents.agentSessions();
        AgentSession agent = new AgentSession();
        agent.issueId = new ObjectId();
        agent.status = AgentStatus.queued;
        agents.insertOne(agent);
        JobQueue<AgentSession> queue = new JobQueue<>(agents, QueueStage.AGENT, clock, "agent-runner@a:1");
        Claim<AgentSession> claim = queue.claim().orElseThrow();
        agents.updateOne(eq("_id", agent.id), Updates.set("status", AgentStatus.false_alarm.name()));

        assertThat(queue.finish(claim, AgentStatus.done.name())).isFalse();
        assertThat(agents.find(eq("_id", agent.id)).first().status).isEqualTo(AgentStatus.false_alarm);
    }

    @Test
    void aStageRefusesToFinishToAStatusItsStateMachineHasNoMoveTo() {
        sessions.insertOne(QueueFixtures.pendingSession(clock.instant()));
        JobQueue<Session> queue = queue("renderer@a:1", clock);
        Claim<Session> claim = queue.claim().orElseThrow();

        assertThatThrownBy(() -> queue.finish(claim, SessionStatus.complete.name()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("render");
        assertThat(sessions.find(eq("_id", claim.id())).first().status).isEqualTo(SessionStatus.rendering);
    }

    @Test
    void sessionsKeepNoStatusHistory() {
        sessions.insertOne(QueueFixtures.pendingSession(clock.instant()));
        JobQueue<Session> queue = queue("renderer@a:1", clock);

        queue.finish(queue.claim().orElseThrow(), SessionStatus.analyzing.name());

        assertThat(documents.database().getCollection(Session.COLLECTION).find().first()).doesNotContainKey("statusHistory");
    }

    @Test
    void anAgentHeldMidPhaseWhoseLeaseRanOutIsClaimedAgainStartingOver() {
        MongoCollection<AgentSession> agents = documents.agentSessions();
        AgentSession agent = new AgentSession();
        agent.issueId = new ObjectId();
        agent.status = AgentStatus.coding;
        agent.attempts = 1;
        agent.lease = new Lease("agent-runner@dead:1", "gone", clock.instant().minusSeconds(1));
        agent.statusHistory = new ArrayList<>(List.of(new AgentStatusChange(AgentStatus.coding, clock.instant())));
        agents.insertOne(agent);
        JobQueue<AgentSession> queue = new JobQueue<>(agents, QueueStage.AGENT, clock, "agent-runner@a:1");

        Claim<AgentSession> claim = queue.claim().orElseThrow();

        assertThat(claim.id()).isEqualTo(agent.id);
        assertThat(claim.attempt()).isEqualTo(2);
        assertThat(claim.document().status).isEqualTo(AgentStatus.starting);
        assertThat(claim.document().statusHistory).extracting(change -> change.status)
                .containsExactly(AgentStatus.coding, AgentStatus.starting);
    }

    @Test
    void anAbandonedDocumentIsFailedWithItsEndingInOneWriteAndStaysHeldWhileTheEndingFails() {
        MongoCollection<AgentSession> agents = documents.agentSessions();
        AgentSession agent = new AgentSession();
        agent.issueId = new ObjectId();
        agent.status = AgentStatus.reviewing;
        agent.attempts = QueueStage.AGENT.maxAttempts();
        agent.lease = new Lease("agent-runner@dead:1", "gone", clock.instant().minusSeconds(1));
        agents.insertOne(agent);
        JobQueue<AgentSession> queue = new JobQueue<>(agents, QueueStage.AGENT, clock, "agent-runner@a:1");

        assertThat(queue.failAbandoned((id, error) -> {
            throw new IllegalStateException("MongoDB went away");
        })).isEmpty();
        AgentSession held = agents.find(eq("_id", agent.id)).first();
        assertThat(held.status).as("not failed without its ending").isEqualTo(AgentStatus.reviewing);
        assertThat(queue.failAbandoned()).as("held under the failed attempt's lease").isEmpty();

        clock.advance(QueueStage.AGENT.leaseTtl().plusSeconds(1));
        List<AgentStatus> seenWhileEnding = new ArrayList<>();
        List<AgentSession> failed = queue.failAbandoned((id, error) -> {
            seenWhileEnding.add(agents.find(eq("_id", id)).first().status);
            return List.of(Updates.set("error", error));
        });

        assertThat(failed).extracting(a -> a.id).containsExactly(agent.id);
        assertThat(seenWhileEnding).containsExactly(AgentStatus.reviewing);
        AgentSession ended = agents.find(eq("_id", agent.id)).first();
        assertThat(ended.status).isEqualTo(AgentStatus.failed);
        assertThat(ended.error).isEqualTo(ended.lastError).contains("stopped");
        assertThat(ended.lease).isNull();
    }
}
