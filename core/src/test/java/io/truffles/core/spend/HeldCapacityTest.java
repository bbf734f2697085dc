package io.truffles.core.spend;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Settings;
import io.truffles.core.queue.Doorbell;
import io.truffles.core.queue.JobOutcome;
import io.truffles.core.queue.JobQueue;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.queue.QueueWorker;
import io.truffles.core.testing.MutableClock;
import io.truffles.core.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agents held by the agent budget: nothing claimed while it is reached, everything once the day turns or it rises. */
class HeldCapacityTest {
    @AutoClose
    private static final TestDatabase database = TestDatabase.start();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T23:00:00Z"));
    private final Settings caps = new Settings();
    private final Set<ObjectId> ran = ConcurrentHashMap.newKeySet();
    private final AtomicInteger capacityReads = new AtomicInteger();
    private SpendLedger ledger;

    @BeforeEach
    void empty() {
        database.documents().agentSessions().deleteMany(new Document());
        database.documents().modelSpend().deleteMany(new Document());
        database.documents().monthlySpend().deleteMany(new Document());
        ledger = new SpendLedger(database.documents(), clock, () -> caps);
        caps.maxConcurrentAgents = 2;
    }

    @Test
    void queuedAgentsWaitWhileTheAgentBudgetIsReachedAndAllRunAfterMidnightAndAfterARaise() {
        caps.dailyAgentBudgetUsd = 5.0;
        ledger.record(SpendKind.agents, "claude-sonnet-4-5", 5.0);
        insertQueued(4);
        Doorbell doorbell = new Doorbell();
        try (QueueWorker<AgentSession> worker = worker(doorbell)) {
            awaitCapacityReads();
            assertThat(ran).as("held by the day's agent budget").isEmpty();
            assertThat(queued()).isEqualTo(4);

            clock.advance(Duration.ofHours(1));
            doorbell.ring();
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 4);

            ledger.record(SpendKind.agents, "claude-sonnet-4-5", 6.0);
            insertQueued(3);
            awaitCapacityReads();
            assertThat(ran).as("held again on the new day").hasSize(4);

            caps.dailyAgentBudgetUsd = 50.0;
            doorbell.ring();
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 7);
        }
        assertThat(database.documents().agentSessions().countDocuments(eq("status", AgentStatus.done.name())))
                .as("no agent lost").isEqualTo(7);
    }

    @Test
    void theMonthlyCapHoldsAgentsTooUntilItIsRaised() {
        caps.monthlyBudgetUsd = 10.0;
        ledger.record(SpendKind.models, "m", 10.0);
        insertQueued(2);
        Doorbell doorbell = new Doorbell();
        try (QueueWorker<AgentSession> worker = worker(doorbell)) {
            awaitCapacityReads();
            clock.advance(Duration.ofHours(1));
            awaitCapacityReads();
            assertThat(ran).as("a new day is not a new month").isEmpty();

            caps.monthlyBudgetUsd = null;
            doorbell.ring();
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 2);
        }
    }

    private QueueWorker<AgentSession> worker(Doorbell doorbell) {
        JobQueue<AgentSession> queue = new JobQueue<>(database.documents().agentSessions(), QueueStage.AGENT, clock,
                "agent-runner@test");
        HeldCapacity capacity = new HeldCapacity(ledger, SpendKind.agents, () -> caps, now -> now.maxConcurrentAgents);
        return new QueueWorker<>(queue, job -> {
            ran.add(job.document().id);
            return JobOutcome.moveTo(AgentStatus.done);
        }, doorbell, () -> {
            capacityReads.incrementAndGet();
            return capacity.getAsInt();
        }, Duration.ofMillis(50), clock).start();
    }

    /** The worker has looked at its capacity a few more times: had it been allowed to claim, it would have. */
    private void awaitCapacityReads() {
        int seen = capacityReads.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> capacityReads.get() >= seen + 5);
    }

    private void insertQueued(int count) {
        for (int i = 0; i < count; i++) {
            AgentSession agent = new AgentSession();
            agent.issueId = new ObjectId();
            agent.status = AgentStatus.queued;
            agent.createdAt = clock.instant();
            agent.updatedAt = clock.instant();
            database.documents().agentSessions().insertOne(agent);
        }
    }

    private long queued() {
        return database.documents().agentSessions().countDocuments(eq("status", AgentStatus.queued.name()));
    }
}
