package io.truffles.core.issues;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.IssueStatusChange;
import io.truffles.core.documents.Move;
import io.truffles.core.documents.Occurrence;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.DuplicateKey;
import io.truffles.core.notifications.NotificationEvent;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import io.truffles.core.testing.MutableClock;
import io.truffles.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every transition of the issue state machine, tried from every status: it moves (and records the move in
 * {@code statusHistory}) from the statuses ARCHITECTURE.md allows, and is refused, naming the status found, from all
 * others.
 */
class IssueStoreTest {
    private static final ObjectId AGENT = new ObjectId();
    @AutoClose
    private static final TestDatabase database = TestDatabase.start();
    private static final Documents documents = database.documents();
    private MutableClock clock;
    private IssueStore store;

    @BeforeAll
    static void createIndexes() {
        IssueStore.ensureIndexes(documents);
    }

    @BeforeEach
    void freshStore() {
        clock = MutableClock.startingNow();
        store = new IssueStore(documents, clock);
    }

    private record Transition(String name, Set<IssueStatus> from, IssueStatus to,
            BiFunction<IssueStore, ObjectId, Move> move) {
    }

    private static final List<Transition> TRANSITIONS = List.of(
            new Transition("startScreening", EnumSet.of(IssueStatus.detected), IssueStatus.screening,
                    IssueStore::startScreening),
            new Transition("passScreening", EnumSet.of(IssueStatus.screening), IssueStatus.queued,
                    (store, id) -> store.passScreening(id, "no pattern matches")),
            new Transition("failScreening", EnumSet.of(IssueStatus.screening), IssueStatus.false_alarm,
                    (store, id) -> store.failScreening(id, "matches a known false alarm")),
            new Transition("startFixing", EnumSet.complementOf(EnumSet.of(IssueStatus.merged, IssueStatus.pr_open)),
                    IssueStatus.fixing, (store, id) -> store.startFixing(id, AGENT)),
            new Transition("markPrOpen", EnumSet.of(IssueStatus.queued, IssueStatus.fixing, IssueStatus.pr_open),
                    IssueStatus.pr_open, (store, id) -> store.markPrOpen(id, AGENT, 7, "https://github.com/a/b/pull/7",
                            "truffles/fix-1")),
            new Transition("markFalseAlarmByAgent", EnumSet.of(IssueStatus.fixing), IssueStatus.false_alarm,
                    (store, id) -> store.markFalseAlarmByAgent(id, "could not reproduce")),
            new Transition("markFixFailed", EnumSet.of(IssueStatus.queued, IssueStatus.fixing), IssueStatus.fix_failed,
                    (store, id) -> store.markFixFailed(id, AGENT, "the agent failed")),
            new Transition("markMerged", EnumSet.of(IssueStatus.pr_open), IssueStatus.merged, IssueStore::markMerged),
            new Transition("markPrClosed", EnumSet.of(IssueStatus.pr_open), IssueStatus.pr_closed,
                    IssueStore::markPrClosed),
            new Transition("markFalseAlarm (admin)", EnumSet.complementOf(EnumSet.of(IssueStatus.merged)),
                    IssueStatus.false_alarm, (store, id) -> store.markFalseAlarm(id, "not a bug")));

    @TestFactory
    Stream<DynamicTest> eachTransitionMovesFromItsAllowedStatusesAndIsRefusedFromEveryOther() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Transition transition : TRANSITIONS) {
            for (IssueStatus from : IssueStatus.values()) {
                boolean allowed = transition.from().contains(from);
                tests.add(DynamicTest.dynamicTest(transition.name() + " from " + from + (allowed ? " moves"
                        : " is refused"), () -> {
                    Issue issue = insert(from);
                    clock.advance(Duration.ofSeconds(1));

                    Move move = transition.move().apply(store, issue.id);

                    Issue after = documents.issues().find(eq("_id", issue.id)).first();
                    assertThat(move.moved()).isEqualTo(allowed);
                    if (allowed) {
                        assertThat(after.status).isEqualTo(transition.to());
                        IssueStatusChange last = after.statusHistory.get(after.statusHistory.size() - 1);
                        assertThat(last.status).isEqualTo(transition.to());
                        assertThat(last.at).isEqualTo(clock.instant());
                        assertThat(after.updatedAt).isEqualTo(clock.instant());
                    } else {
                        assertThat(after.status).isEqualTo(from);
                        assertThat(after.statusHistory).hasSize(1);
                        assertThat(move.found()).isEqualTo(from.name());
                        assertThat(move.refusal()).contains(from.name()).contains(transition.to().name());
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void aMoveOfAnIssueThatDoesNotExistIsRefusedAsMissing() {
        Move move = store.markMerged(new ObjectId());

        assertThat(move.moved()).isFalse();
        assertThat(move.exists()).isFalse();
        assertThat(move.refusal()).contains("does not exist");
    }

    @Test
    void fixFailedLeavesAnIssueAnotherAgentHasTakenOver() {
        Issue issue = insert(IssueStatus.fixing);
        documents.issues().updateOne(eq("_id", issue.id), Updates.set("agentSessionId", new ObjectId()));

        assertThat(store.markFixFailed(issue.id, AGENT, "the old agent failed").moved()).isFalse();
        assertThat(documents.issues().find(eq("_id", issue.id)).first().status).isEqualTo(IssueStatus.fixing);
    }

    @Test
    void creatingTheSameProblemTwiceMakesOneDetectedIssueWithItsHistory() {
        Issue candidate = candidate("fp-" + new ObjectId());

        store.create(candidate, 0);
        store.create(candidate, 0);

        List<Issue> made = documents.issues().find(eq("fingerprint", candidate.fingerprint)).into(new ArrayList<>());
        assertThat(made).singleElement().satisfies(issue -> {
            assertThat(issue.status).isEqualTo(IssueStatus.detected);
            assertThat(issue.statusHistory).extracting(change -> change.status).containsExactly(IssueStatus.detected);
        });
    }

    @Test
    void theUniqueIndexRefusesASecondIssueOfAFingerprintsGenerationButNotIssuesWithoutAFingerprint() {
        Issue first = candidate("fp-" + new ObjectId());
        first.fingerprintGeneration = 0;
        documents.issues().insertOne(first);
        Issue twin = candidate(first.fingerprint);
        twin.fingerprintGeneration = 0;

        assertThatThrownBy(() -> documents.issues().insertOne(twin)).isInstanceOf(MongoWriteException.class)
                .satisfies(refused -> assertThat(DuplicateKey.is((MongoWriteException) refused)).isTrue());
        // issues made by hand or by a test's fixtures carry no fingerprint: the sparse index leaves them out
        documents.issues().insertOne(candidate(null));
        documents.issues().insertOne(candidate(null));
        assertThat(documents.issues().countDocuments(eq("fingerprint", null))).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theUniqueIndexFromBeforeItWasSparseIsReplaced() {
        try (TestDatabase old = TestDatabase.start()) {
            Documents oldDocuments = old.documents();
            oldDocuments.issues().createIndex(Indexes.ascending("fingerprint", "fingerprintGeneration"),
                    new IndexOptions().unique(true).name(IssueStore.UNIQUE_FINGERPRINT));

            IssueStore.ensureIndexes(oldDocuments);

            Document index = oldDocuments.issues().listIndexes().into(new ArrayList<>()).stream()
                    .filter(i -> IssueStore.UNIQUE_FINGERPRINT.equals(i.getString("name"))).findFirst().orElseThrow();
            assertThat(index.getBoolean("unique")).isTrue();
            assertThat(index.getBoolean("sparse", false)).isTrue();
        }
    }

    @Test
    void anOccurrenceIsRecordedOncePerSessionAndTheCountsFollow() {
        Issue issue = insert(IssueStatus.queued);
        ObjectId session = new ObjectId();

        store.recordOccurrence(issue.id, occurrence(session, "user-1"));
        store.recordOccurrence(issue.id, occurrence(session, "user-1"));
        store.recordOccurrence(issue.id, occurrence(new ObjectId(), "user-2"));

        Issue after = documents.issues().find(eq("_id", issue.id)).first();
        assertThat(after.occurrences).hasSize(2);
        assertThat(after.sessionCount).isEqualTo(2);
        assertThat(after.userCount).isEqualTo(2);
    }

    @Test
    void aRedIssueThatPassesScreeningFilesIssueRedOnceAndAYellowOneNothing() {
        Issue red = insert(IssueStatus.screening);
        Issue yellow = insert(IssueStatus.screening, Severity.yellow);

        assertThat(store.passScreening(red.id, "no pattern matches").moved()).isTrue();
        assertThat(store.passScreening(red.id, "no pattern matches").moved()).as("a repeat is refused").isFalse();
        assertThat(store.passScreening(yellow.id, "no pattern matches").moved()).isTrue();

        assertThat(outbox(red.id)).singleElement().satisfies(entry -> {
            assertThat(entry.key()).isEqualTo("issue.red:" + red.id.toHexString());
            assertThat(entry.event()).isEqualTo(NotificationEvent.ISSUE_RED);
            assertThat(entry.subjectId()).isEqualTo(red.id.toHexString());
            assertThat(entry.at()).isEqualTo(clock.instant());
        });
        assertThat(documents.issues().find(eq("_id", red.id)).first().status).isEqualTo(IssueStatus.queued);
        assertThat(outbox(yellow.id)).isEmpty();
        assertThat(documents.issues().find(eq("_id", yellow.id)).first().status).isEqualTo(IssueStatus.queued);
    }

    @Test
    void aRedIssueRefusedScreeningOrFailingItFilesNothing() {
        Issue detected = insert(IssueStatus.detected);
        Issue falseAlarm = insert(IssueStatus.screening);

        assertThat(store.passScreening(detected.id, "too early").moved()).isFalse();
        assertThat(store.failScreening(falseAlarm.id, "matches a known false alarm").moved()).isTrue();

        assertThat(outbox(detected.id)).isEmpty();
        assertThat(outbox(falseAlarm.id)).isEmpty();
        assertThat(documents.issues().find(eq("_id", detected.id)).first().status).isEqualTo(IssueStatus.detected);
    }

    @Test
    void openingAPullRequestFilesPrOpenedWithItsFactsAndARetriedAgentFindingItOpenFilesNoSecond() {
        Issue issue = insert(IssueStatus.fixing);

        store.markPrOpen(issue.id, AGENT, 7, "https://github.com/a/b/pull/7", "truffles/fix-1");
        Move again = store.markPrOpen(issue.id, AGENT, 7, "https://github.com/a/b/pull/7", "truffles/fix-1");

        assertThat(again.moved()).isTrue();
        assertThat(outbox(issue.id)).singleElement().satisfies(entry -> {
            assertThat(entry.key()).isEqualTo("pr.opened:" + issue.id.toHexString() + ":7");
            assertThat(entry.facts()).isEqualTo(Map.of("prUrl", "https://github.com/a/b/pull/7", "prNumber", 7,
                    "agentId", AGENT.toHexString()));
        });
        Issue after = documents.issues().find(eq("_id", issue.id)).first();
        assertThat(after.prNumber).isEqualTo(7);
        assertThat(after.statusHistory).extracting(change -> change.status)
                .containsExactly(IssueStatus.fixing, IssueStatus.pr_open, IssueStatus.pr_open);
    }

    @Test
    void aPullRequestCannotOpenOnAMergedIssueAndFilesNothing() {
        Issue issue = insert(IssueStatus.merged);

        assertThat(store.markPrOpen(issue.id, AGENT, 8, "https://github.com/a/b/pull/8", "b").moved()).isFalse();

        assertThat(outbox(issue.id)).isEmpty();
    }

    @Test
    void aMergedPullRequestFilesPrMergedWithItsUrlOnceAndARefusedMoveNothing() {
        Issue issue = insert(IssueStatus.pr_open);
        documents.issues().updateOne(eq("_id", issue.id), Updates.combine(
                Updates.set("prUrl", "https://github.com/a/b/pull/7"), Updates.set("prNumber", 7)));
        Issue fixing = insert(IssueStatus.fixing);

        assertThat(store.markMerged(issue.id).moved()).isTrue();
        assertThat(store.markMerged(issue.id).moved()).isFalse();
        assertThat(store.markMerged(fixing.id).moved()).isFalse();

        assertThat(outbox(issue.id)).singleElement().satisfies(entry -> {
            assertThat(entry.key()).isEqualTo("pr.merged:" + issue.id.toHexString());
            assertThat(entry.facts()).isEqualTo(Map.of("prUrl", "https://github.com/a/b/pull/7", "prNumber", 7));
        });
        assertThat(outbox(fixing.id)).isEmpty();
    }

    @Test
    void theUpdateThatCountsTheTenthUserFilesIssueUsersOnceAndLaterOccurrencesDoNot() {
        Issue issue = insert(IssueStatus.queued);
        for (int user = 1; user <= 9; user++) {
            store.recordOccurrence(issue.id, occurrence(new ObjectId(), "user-" + user));
        }
        assertThat(outbox(issue.id)).isEmpty();
        ObjectId tenth = new ObjectId();

        store.recordOccurrence(issue.id, occurrence(tenth, "user-10"));
        store.recordOccurrence(issue.id, occurrence(tenth, "user-10"));
        store.recordOccurrence(issue.id, occurrence(new ObjectId(), "user-11"));
        store.recordOccurrence(issue.id, occurrence(new ObjectId(), "user-3"));

        assertThat(outbox(issue.id)).singleElement().satisfies(entry -> {
            assertThat(entry.key()).isEqualTo("issue.users:" + issue.id.toHexString() + ":10");
            assertThat(entry.event()).isEqualTo(NotificationEvent.ISSUE_USERS);
            assertThat(entry.facts()).isEqualTo(Map.of("threshold", 10, "users", 10));
        });
        assertThat(documents.issues().find(eq("_id", issue.id)).first().userCount).isEqualTo(11);
    }

    @Test
    void anIssueMadeByCreateWithoutACountFilesIssueUsersWhenItsCountReachesTheThreshold() {
        Issue candidate = candidate("fp-" + new ObjectId());
        store.create(candidate, 0);
        ObjectId id = documents.issues().find(eq("fingerprint", candidate.fingerprint)).first().id;
        documents.issues().updateOne(eq("_id", id), Updates.unset("userCount"));

        for (int user = 1; user <= 10; user++) {
            store.recordOccurrence(id, occurrence(new ObjectId(), "user-" + user));
        }

        assertThat(outbox(id)).extracting(OutboxEntry::key).containsExactly("issue.users:" + id.toHexString() + ":10");
    }

    @Test
    void aScreenedYellowIssueRaisedToRedFilesIssueRedOnceAndKeepsTheReason() {
        Issue issue = insert(IssueStatus.queued, Severity.yellow);
        documents.issues().updateOne(eq("_id", issue.id), Updates.set("screeningPassed", true));

        assertThat(store.raiseToRed(issue.id, "the user could not pay")).isTrue();
        assertThat(store.raiseToRed(issue.id, "the user could not pay")).as("already red").isFalse();

        Issue after = documents.issues().find(eq("_id", issue.id)).first();
        assertThat(after.severity).isEqualTo(Severity.red);
        assertThat(after.severityReason).isEqualTo("the user could not pay");
        assertThat(outbox(issue.id)).extracting(OutboxEntry::key).containsExactly("issue.red:" + issue.id.toHexString());
    }

    @Test
    void aYellowIssueRaisedWhileScreeningFilesIssueRedOnlyWhenItPasses() {
        Issue issue = insert(IssueStatus.screening, Severity.yellow);

        assertThat(store.raiseToRed(issue.id, "blocked a user")).isTrue();
        assertThat(outbox(issue.id)).isEmpty();
        store.passScreening(issue.id, "no pattern matches");

        assertThat(outbox(issue.id)).extracting(OutboxEntry::key).containsExactly("issue.red:" + issue.id.toHexString());
    }

    @Test
    void aFalseAlarmOrMergedYellowIssueIsNotRaised() {
        Issue falseAlarm = insert(IssueStatus.false_alarm, Severity.yellow);
        Issue merged = insert(IssueStatus.merged, Severity.yellow);

        assertThat(store.raiseToRed(falseAlarm.id, "blocked a user")).isFalse();
        assertThat(store.raiseToRed(merged.id, "blocked a user")).isFalse();

        assertThat(documents.issues().find(eq("_id", falseAlarm.id)).first().severity).isEqualTo(Severity.yellow);
        assertThat(outbox(falseAlarm.id)).isEmpty();
        assertThat(outbox(merged.id)).isEmpty();
    }

    private static List<OutboxEntry> outbox(ObjectId id) {
        return Outbox.entries(documents.database().getCollection(Issue.COLLECTION).find(eq("_id", id)).first());
    }

    private static Occurrence occurrence(ObjectId session, String user) {
        Occurrence occurrence = new Occurrence();
        occurrence.sessionId = session;
        occurrence.userId = user;
        return occurrence;
    }

    private Issue insert(IssueStatus status) {
        return insert(status, Severity.red);
    }

    private Issue insert(IssueStatus status, Severity severity) {
        Issue issue = candidate("fp-" + new ObjectId());
        issue.severity = severity;
        issue.id = new ObjectId();
        issue.status = status;
        issue.statusHistory = new ArrayList<>(List.of(new IssueStatusChange(status, clock.instant())));
        issue.createdAt = clock.instant();
        issue.updatedAt = clock.instant();
        documents.issues().insertOne(issue);
        return issue;
    }

    private static Issue candidate(String fingerprint) {
        Issue issue = new Issue();
        issue.fingerprint = fingerprint;
        issue.title = "Checkout button does nothing";
        issue.severity = Severity.red;
        issue.analysisSource = AnalysisSource.session_data;
        return issue;
    }
}
