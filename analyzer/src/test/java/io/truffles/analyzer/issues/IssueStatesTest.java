package io.truffles.analyzer.issues;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.FindingKind;
import io.truffles.analyzer.detect.SessionDataDetectors;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.FalseAlarmSource;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.IssueStatusChange;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Occurrence;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's issue states: detected → screening → queued or false_alarm, each step's time kept, crash-safe. */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class IssueStatesTest {
    @Inject
    Documents documents;
    @Inject
    LiveSettings settings;
    @Inject
    Clock clock;

    @BeforeEach
    void empty() {
        documents.issues().deleteMany(new Document());
        documents.agentSessions().deleteMany(new Document());
        documents.falseAlarms().deleteMany(new Document());
    }

    @Test
    void aNewProblemIsDetectedThenScreenedThenQueuedWithEachStepsTime() throws InterruptedException {
        Session session = session("ann");

        recorder().record(session, SessionDataDetectors.detect(session), settings.current());

        Issue issue = documents.issues().find().first();
        assertThat(issue.status).isEqualTo(IssueStatus.queued);
        assertThat(issue.statusHistory).extracting(change -> change.status)
                .containsExactly(IssueStatus.detected, IssueStatus.screening, IssueStatus.queued);
        assertThat(issue.statusHistory).allSatisfy(change -> assertThat(change.at).isNotNull());
        assertThat(issue.statusHistory.get(0).at).isBeforeOrEqualTo(issue.statusHistory.get(2).at);
        assertThat(documents.agentSessions().countDocuments()).isEqualTo(1);
    }

    @Test
    void aProblemMatchingAFalseAlarmPatternEndsFalseAlarmAfterScreeningWithNoAgent() throws InterruptedException {
        FalseAlarm alarm = new FalseAlarm();
        alarm.pattern = "/orders/:id/items";
        alarm.reason = "The staging order service.";
        alarm.source = FalseAlarmSource.manual;
        alarm.createdAt = Instant.now();
        documents.falseAlarms().insertOne(alarm);
        Session session = session("ann");

        recorder().record(session, SessionDataDetectors.detect(session), settings.current());

        Issue issue = documents.issues().find().first();
        assertThat(issue.statusHistory).extracting(change -> change.status)
                .containsExactly(IssueStatus.detected, IssueStatus.screening, IssueStatus.false_alarm);
        assertThat(issue.falseAlarmReason).contains("staging order service");
        assertThat(documents.agentSessions().countDocuments()).isZero();
        assertThat(outbox(issue.id)).as("a false alarm is no news").isEmpty();
    }

    @Test
    void anIssueACrashLeftInScreeningIsFinishedWhenItsSessionIsAnalysedAgainWithOneAgent()
            throws InterruptedException {
        Session session = session("ann");
        Finding finding = SessionDataDetectors.detect(session).get(0);
        // what a crash between the two transitions leaves: the issue screening, its occurrence written, no agent
        Issue stuck = new Issue();
        stuck.id = new ObjectId();
        stuck.sessionId = session.id;
        stuck.fingerprint = finding.fingerprint();
        stuck.fingerprintGeneration = 0;
        stuck.severity = finding.severity();
        stuck.title = finding.title();
        stuck.description = finding.description();
        stuck.status = IssueStatus.screening;
        Instant crashed = clock.instant().minusSeconds(60);
        stuck.statusHistory = List.of(new IssueStatusChange(IssueStatus.detected, crashed),
                new IssueStatusChange(IssueStatus.screening, crashed));
        Occurrence occurrence = new Occurrence();
        occurrence.sessionId = session.id;
        occurrence.userId = "ann";
        stuck.occurrences = List.of(occurrence);
        stuck.createdAt = crashed;
        documents.issues().insertOne(stuck);

        // the session's lease expired and the analyzer claims it again: the same findings are recorded again
        recorder().record(session, SessionDataDetectors.detect(session), settings.current());
        recorder().record(session, SessionDataDetectors.detect(session), settings.current());

        Issue finished = documents.issues().find(eq("_id", stuck.id)).first();
        assertThat(documents.issues().countDocuments()).isEqualTo(1);
        assertThat(finished.status).isEqualTo(IssueStatus.queued);
        assertThat(finished.statusHistory).extracting(change -> change.status)
                .containsExactly(IssueStatus.detected, IssueStatus.screening, IssueStatus.queued);
        assertThat(finished.occurrences).hasSize(1);
        assertThat(documents.agentSessions().countDocuments()).isEqualTo(1);
        assertThat(finished.agentSessionId).isNotNull();
    }

    @Test
    void anotherSessionShowingAQueuedProblemAddsAnOccurrenceAndNoSecondAgent() throws InterruptedException {
        Session first = session("ann");
        Session second = session("bob");

        recorder().record(first, SessionDataDetectors.detect(first), settings.current());
        recorder().record(second, SessionDataDetectors.detect(second), settings.current());

        Issue issue = documents.issues().find().first();
        assertThat(issue.occurrences).extracting(o -> o.userId).containsExactly("ann", "bob");
        assertThat(issue.statusHistory).hasSize(3);
        assertThat(documents.agentSessions().countDocuments()).isEqualTo(1);
    }

    @Test
    void aRedProblemThatPassesScreeningFilesOneIssueRedHoweverOftenItsSessionIsAnalysed()
            throws InterruptedException {
        Session session = session("ann");

        recorder().record(session, SessionDataDetectors.detect(session), settings.current());
        recorder().record(session, SessionDataDetectors.detect(session), settings.current());

        Issue issue = documents.issues().find().first();
        assertThat(issue.severity).isEqualTo(Severity.red);
        assertThat(outbox(issue.id)).extracting(OutboxEntry::key).containsExactly("issue.red:" + issue.id.toHexString());
    }

    @Test
    void theSessionOfTheTenthDistinctUserFilesIssueUsersForTen() throws InterruptedException {
        for (int user = 1; user <= 11; user++) {
            Session session = session("user-" + user);
            recorder().record(session, SessionDataDetectors.detect(session), settings.current());
        }

        Issue issue = documents.issues().find().first();
        assertThat(issue.userCount).isEqualTo(11);
        assertThat(outbox(issue.id)).extracting(OutboxEntry::key).containsExactly(
                "issue.red:" + issue.id.toHexString(), "issue.users:" + issue.id.toHexString() + ":10");
    }

    @Test
    void aYellowProblemAnotherSessionShowsBlockingItsUserIsRaisedToRedAndFilesIssueRed() throws InterruptedException {
        Session first = session("ann");
        Session second = session("bob");

        recorder().record(first, List.of(finding(Severity.yellow, "the cart was slow to load")), settings.current());
        Issue yellow = documents.issues().find().first();
        assertThat(outbox(yellow.id)).isEmpty();
        recorder().record(second, List.of(finding(Severity.red, "the user could not check out")), settings.current());

        Issue raised = documents.issues().find(eq("_id", yellow.id)).first();
        assertThat(documents.issues().countDocuments()).isEqualTo(1);
        assertThat(raised.severity).isEqualTo(Severity.red);
        assertThat(raised.severityReason).isEqualTo("the user could not check out");
        assertThat(outbox(raised.id)).extracting(OutboxEntry::key)
                .containsExactly("issue.red:" + raised.id.toHexString());
    }

    private static Finding finding(Severity severity, String reason) {
        return new Finding(FindingKind.FAILED_REQUEST, severity, "POST /cart/items failed with 500",
                "The request to add an item failed.", 3.0, "/cart", "", "POST /cart/items 5xx")
                .withSeverityReason(reason);
    }

    private List<OutboxEntry> outbox(ObjectId id) {
        return Outbox.entries(documents.database().getCollection(Issue.COLLECTION).find(eq("_id", id)).first());
    }

    private IssueRecorder recorder() {
        return new IssueRecorder(documents, new Screening(documents), clock);
    }

    private static Session session(String user) {
        Session session = new Session();
        session.id = new ObjectId();
        session.posthogSessionId = "states-" + UUID.randomUUID();
        session.userId = user;
        session.status = SessionStatus.analyzing;
        NetworkFailure failure = new NetworkFailure();
        failure.method = "POST";
        failure.url = "https://api.example.com/orders/5/items";
        failure.status = 500;
        failure.offsetSeconds = 3.0;
        session.networkFailures = List.of(failure);
        return session;
    }
}
