package io.truffles.core.agents;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Updates;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AgentStatusChange;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Lease;
import io.truffles.core.mongo.Documents;
import io.truffles.core.notifications.NotificationEvent;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import io.truffles.core.queue.Claim;
import io.truffles.core.queue.FailResult;
import io.truffles.core.queue.JobQueue;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.testing.MutableClock;
import io.truffles.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The agent moves outside the job queue: queueing one live agent per issue, phases under a lease, stop requests. */
class AgentSessionStoreTest {
    private static final Set<AgentStatus> HELD = EnumSet.of(AgentStatus.starting, AgentStatus.verifying,
            AgentStatus.planning, AgentStatus.coding, AgentStatus.reviewing);
    @AutoClose
    private static final TestDatabase database = TestDatabase.start();
    private static final Documents documents = database.documents();
    private MutableClock clock;
    private AgentSessionStore store;

    @BeforeAll
    static void createIndexes() {
        AgentSessionStore.ensureIndexes(documents);
    }

    @BeforeEach
    void freshStore() {
        clock = MutableClock.startingNow();
        store = new AgentSessionStore(documents, clock);
    }

    @Test
    void queueingAnAgentMakesOneLiveAgentPerIssueAndPointsTheIssueAtIt() {
        Issue issue = issue();

        AgentSessionStore.Queued first = store.queueAgent(issue.id, Updates.setOnInsert("issueTitle", issue.title));
        AgentSessionStore.Queued again = store.queueAgent(issue.id);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.agentId()).isEqualTo(first.agentId());
        assertThat(again.status()).isEqualTo("queued");
        AgentSession agent = documents.agentSessions().find(eq("_id", first.agentId())).first();
        assertThat(agent.status).isEqualTo(AgentStatus.queued);
        assertThat(agent.issueTitle).isEqualTo(issue.title);
        assertThat(agent.statusHistory).extracting(change -> change.status).containsExactly(AgentStatus.queued);
        assertThat(documents.issues().find(eq("_id", issue.id)).first().agentSessionId).isEqualTo(first.agentId());
    }

    @Test
    void anIssueWhoseAgentEndedGetsANewOne() {
        Issue issue = issue();
        AgentSessionStore.Queued first = store.queueAgent(issue.id);
        documents.agentSessions().updateOne(eq("_id", first.agentId()), Updates.set("status", "done"));

        AgentSessionStore.Queued second = store.queueAgent(issue.id);

        assertThat(second.created()).isTrue();
        assertThat(second.agentId()).isNotEqualTo(first.agentId());
    }

    @TestFactory
    Stream<DynamicTest> aPhaseStartsOnlyFromAHeldStatusUnderTheClaimsLease() {
        List<DynamicTest> tests = new ArrayList<>();
        for (AgentStatus from : AgentStatus.values()) {
            boolean allowed = HELD.contains(from);
            tests.add(DynamicTest.dynamicTest("coding from " + from + (allowed ? " moves" : " is refused"), () -> {
                AgentSession agent = insert(from, new Lease("a", "token", clock.instant().plusSeconds(60)));
                clock.advance(Duration.ofSeconds(1));

                boolean moved = store.startPhase(new Claim<>(agent.id, "token", agent), AgentStatus.coding);

                AgentSession after = documents.agentSessions().find(eq("_id", agent.id)).first();
                assertThat(moved).isEqualTo(allowed);
                if (allowed) {
                    assertThat(after.status).isEqualTo(AgentStatus.coding);
                    AgentStatusChange last = after.statusHistory.get(after.statusHistory.size() - 1);
                    assertThat(last.status).isEqualTo(AgentStatus.coding);
                    assertThat(last.at).isEqualTo(clock.instant());
                } else {
                    assertThat(after.status).isEqualTo(from);
                    assertThat(after.statusHistory).hasSize(1);
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void aRunnerWhoseLeaseWasTakenOverCannotMoveThePhase() {
        AgentSession agent = insert(AgentStatus.verifying,
                new Lease("agent-runner@b:2", "successor", clock.instant().plusSeconds(60)));

        assertThat(store.startPhase(new Claim<>(agent.id, "stale", agent), AgentStatus.planning)).isFalse();
        assertThat(documents.agentSessions().find(eq("_id", agent.id)).first().status)
                .isEqualTo(AgentStatus.verifying);
    }

    @Test
    void onlyPhasesAreStartedThroughStartPhase() {
        AgentSession agent = insert(AgentStatus.starting, new Lease("a", "token", clock.instant().plusSeconds(60)));

        assertThatThrownBy(() -> store.startPhase(new Claim<>(agent.id, "token", agent), AgentStatus.done))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stoppingAnUnclaimedAgentEndsItFailedWithItsHistory() {
        AgentSession agent = insert(AgentStatus.queued, null);

        assertThat(store.requestStop(agent.id)).isEqualTo(AgentSessionStore.Stop.ENDED_QUEUED);

        AgentSession after = documents.agentSessions().find(eq("_id", agent.id)).first();
        assertThat(after.status).isEqualTo(AgentStatus.failed);
        assertThat(after.stopRequested).isTrue();
        assertThat(after.completedAt).isEqualTo(clock.instant());
        assertThat(after.statusHistory).extracting(change -> change.status)
                .containsExactly(AgentStatus.queued, AgentStatus.failed);
    }

    @Test
    void stoppingAHeldAgentAsksItsRunnerAndLeavesItsStatus() {
        AgentSession agent = insert(AgentStatus.coding, new Lease("a", "token", clock.instant().plusSeconds(60)));

        assertThat(store.requestStop(agent.id)).isEqualTo(AgentSessionStore.Stop.ASKED);

        AgentSession after = documents.agentSessions().find(eq("_id", agent.id)).first();
        assertThat(after.status).isEqualTo(AgentStatus.coding);
        assertThat(after.stopRequested).isTrue();
    }

    @Test
    void stoppingAnEndedOrMissingAgentChangesNothing() {
        for (AgentStatus ended : List.of(AgentStatus.done, AgentStatus.failed, AgentStatus.false_alarm)) {
            AgentSession agent = insert(ended, null);
            assertThat(store.requestStop(agent.id)).isEqualTo(AgentSessionStore.Stop.ALREADY_ENDED);
            AgentSession after = documents.agentSessions().find(eq("_id", agent.id)).first();
            assertThat(after.status).isEqualTo(ended);
            assertThat(after.stopRequested).isNull();
        }
        assertThat(store.requestStop(new ObjectId())).isEqualTo(AgentSessionStore.Stop.NOT_FOUND);
    }

    @Test
    void agentsAbandonedMidPhaseAreCountedOnceTheirLeaseRanOut() {
        long before = store.abandonedMidPhase(clock.instant());
        insert(AgentStatus.coding, new Lease("dead", "t1", clock.instant().minusSeconds(1)));
        insert(AgentStatus.reviewing, new Lease("alive", "t2", clock.instant().plusSeconds(60)));
        insert(AgentStatus.starting, new Lease("dead", "t3", clock.instant().minusSeconds(1)));

        assertThat(store.abandonedMidPhase(clock.instant())).isEqualTo(before + 1);
    }

    @Test
    void anAgentFailingForGoodFilesAgentFailedInTheQueuesFailingWriteWithItsErrorRedactedAndBounded() {
        AgentSession agent = insert(AgentStatus.coding, new Lease("a", "token", clock.instant().plusSeconds(60)));
        JobQueue<AgentSession> queue = new JobQueue<>(documents.agentSessions(), QueueStage.AGENT, clock, "a");
        String error = "Agent failed: the API said 401 for sk-ant-api03-abcdefghijklmnop " + "x".repeat(2000);
        Claim<AgentSession> claim = new Claim<>(agent.id, "token", agent);

        FailResult first = queue.fail(claim, error, false, store.failedForGood(agent, error));
        FailResult repeat = queue.fail(claim, error, false, store.failedForGood(agent, error));

        assertThat(first).isEqualTo(FailResult.FAILED);
        assertThat(repeat).as("the lease is gone: a repeat writes nothing").isEqualTo(FailResult.LEASE_LOST);
        assertThat(outbox(agent.id)).singleElement().satisfies(entry -> {
            assertThat(entry.key()).isEqualTo("agent.failed:" + agent.id.toHexString());
            assertThat(entry.event()).isEqualTo(NotificationEvent.AGENT_FAILED);
            assertThat(entry.facts()).containsEntry("issueId", agent.issueId.toHexString());
            assertThat((String) entry.facts().get("error")).startsWith("Agent failed: the API said 401 for")
                    .doesNotContain("sk-ant-api03").hasSizeLessThanOrEqualTo(AgentSessionStore.FAILED_ERROR_CHARS + 1);
        });
        assertThat(documents.agentSessions().find(eq("_id", agent.id)).first().status).isEqualTo(AgentStatus.failed);
    }

    @Test
    void anAgentAnAdminStoppedFilesNoAgentFailed() {
        AgentSession agent = insert(AgentStatus.coding, new Lease("a", "token", clock.instant().plusSeconds(60)));
        agent.stopRequested = true;

        assertThat(store.failedForGood(agent, "Stopped by an admin")).isNull();
    }

    @Test
    void stoppingAnUnclaimedAgentFilesNoAgentFailed() {
        AgentSession agent = insert(AgentStatus.queued, null);

        store.requestStop(agent.id);

        assertThat(outbox(agent.id)).isEmpty();
    }

    private static List<OutboxEntry> outbox(ObjectId id) {
        return Outbox.entries(documents.database().getCollection(AgentSession.COLLECTION).find(eq("_id", id)).first());
    }

    private Issue issue() {
        Issue issue = new Issue();
        issue.id = new ObjectId();
        issue.title = "Cart total ignores quantity";
        issue.status = IssueStatus.queued;
        issue.createdAt = clock.instant();
        documents.issues().insertOne(issue);
        return issue;
    }

    private AgentSession insert(AgentStatus status, Lease lease) {
        AgentSession agent = new AgentSession();
        agent.id = new ObjectId();
        agent.issueId = new ObjectId();
        agent.status = status;
        agent.lease = lease;
        agent.attempts = 1;
        agent.statusHistory = new ArrayList<>(List.of(new AgentStatusChange(status, clock.instant())));
        agent.createdAt = clock.instant();
        agent.updatedAt = clock.instant();
        documents.agentSessions().insertOne(agent);
        return agent;
    }
}
