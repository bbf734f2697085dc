package io.truffles.analyzer.job;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.analyzer.detect.Events;
import io.truffles.analyzer.issues.IssueRecorder;
import io.truffles.analyzer.issues.Screening;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.FalseAlarmSource;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.mongo.Documents;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import io.truffles.analyzer.detect.SessionDataDetectors;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class AnalyzeJobTest {
    @Inject
    Documents documents;
    @Inject
    ObjectStorage storage;
    @Inject
    LiveSettings settings;
    @Inject
    Clock clock;

    @BeforeEach
    void noIssuesYet() {
        documents.issues().deleteMany(new Document());
        documents.agentSessions().deleteMany(new Document());
        documents.falseAlarms().deleteMany(new Document());
        documents.sessions().deleteMany(new Document());
    }

    @Test
    void aRenderedSessionIsAnalysedIntoIssuesAndCompletedWithItsCounts() throws Exception {
        byte[] recording = new Events().page(0, "https://shop.example.com/orders/12/edit", "Edit order", "Items")
                .click(2_000, Events.PANEL, 400, 300)
                .mouseMove(6_000, 420, 300)
                .asJson();
        Session session = analyzing("user-1", recording, List.of(failure(500, 3.5)), List.of());

        Session done = awaitComplete(session);

        // the click that answered nothing and the request it started that failed are one problem
        assertThat(done.issueCount.red).isEqualTo(1);
        assertThat(done.issueCount.yellow).isZero();
        assertThat(done.modelAnalysisSkipped).contains("OPENROUTER_API_KEY");
        List<Issue> issues = documents.issues().find().into(new java.util.ArrayList<>());
        assertThat(issues).extracting(issue -> issue.title).containsExactly(
                "Clicking \u201cItems\u201d fails silently (POST /orders/:id/items \u2192 500, nothing shown)");
        assertThat(issues.get(0).evidence).extracting(evidence -> evidence.kind)
                .containsExactly("action", "dead_click", "failed_request");
        assertThat(issues.get(0).severityReason).startsWith("Data lost");
        assertThat(issues).allSatisfy(issue -> {
            assertThat(issue.status).isEqualTo(IssueStatus.queued);
            assertThat(issue.screeningPassed).isTrue();
            assertThat(issue.sessionId).isEqualTo(session.id);
            assertThat(issue.sessionCount).isEqualTo(1);
        });
        // red is auto-fixed by default: one agent for the one problem
        assertThat(documents.agentSessions().countDocuments()).isEqualTo(1);
    }

    @Test
    void theSameProblemInFiveSessionsFromThreeUsersIsOneIssueWithOneAgent() {
        for (String user : List.of("ann", "bob", "cat", "ann", "bob")) {
            awaitComplete(analyzing(user, null, List.of(failure(502, 7.0)), List.of()));
        }

        assertThat(documents.issues().countDocuments()).isEqualTo(1);
        Issue issue = documents.issues().find().first();
        assertThat(issue.occurrences).hasSize(5);
        assertThat(issue.sessionCount).isEqualTo(5);
        assertThat(issue.userCount).isEqualTo(3);
        assertThat(issue.severity).isEqualTo(Severity.red);
        assertThat(documents.agentSessions().countDocuments()).isEqualTo(1);
        AgentSession agent = documents.agentSessions().find().first();
        assertThat(agent.status).isEqualTo(AgentStatus.queued);
        assertThat(issue.agentSessionId).isEqualTo(agent.id);
        assertThat(agent.issueTitle).isEqualTo(issue.title);
        assertThat(agent.severity).isEqualTo(Severity.red);
        assertThat(agent.statusHistory).extracting(change -> change.status).containsExactly(AgentStatus.queued);
    }

    @Test
    void aFalseAlarmPatternAddedAfterAFirstIssueScreensOutTheNextMatchingFinding() {
        Session first = awaitComplete(analyzing("ann", null, List.of(),
                List.of(consoleError("ResizeObserver loop limit exceeded"))));
        assertThat(documents.issues().find().first().status).isEqualTo(IssueStatus.queued);
        assertThat(first.issueCount.yellow).isEqualTo(1);

        FalseAlarm alarm = new FalseAlarm();
        alarm.pattern = "ResizeObserver loop";
        alarm.reason = "Benign browser warning; nothing breaks for the user.";
        alarm.source = FalseAlarmSource.manual;
        alarm.createdAt = Instant.now();
        documents.falseAlarms().insertOne(alarm);

        Session second = awaitComplete(analyzing("bob", null, List.of(),
                List.of(consoleError("ResizeObserver loop completed with undelivered notifications"))));

        Issue screenedOut = documents.issues().find(eq("status", IssueStatus.false_alarm.name())).first();
        assertThat(screenedOut).isNotNull();
        assertThat(screenedOut.screeningPassed).isFalse();
        assertThat(screenedOut.screeningReasoning).contains("ResizeObserver loop").contains("Benign browser warning");
        assertThat(screenedOut.falseAlarmReason).isEqualTo(screenedOut.screeningReasoning);
        // the session's counts are of the problems its user had: a screened-out finding is not one
        assertThat(second.issueCount.red).isZero();
        assertThat(second.issueCount.yellow).isZero();
    }

    @Test
    void recordingTheSameSessionAgainAddsNoSecondOccurrenceOrAgent() throws InterruptedException {
        Session session = analyzing("ann", null, List.of(failure(500, 1.0)), List.of());
        awaitComplete(session);
        IssueRecorder recorder = new IssueRecorder(documents, new Screening(documents), clock);

        recorder.record(session, SessionDataDetectors.detect(session), settings.current());

        Issue issue = documents.issues().find().first();
        assertThat(issue.occurrences).hasSize(1);
        assertThat(documents.agentSessions().countDocuments()).isEqualTo(1);
    }

    @Test
    void anIssueIsPlacedAtItsVideoTimeWhenIdleStretchesWereCollapsed() {
        Session session = new Session();
        session.posthogSessionId = "timeline-" + UUID.randomUUID();
        session.userId = "ann";
        session.status = SessionStatus.analyzing;
        session.networkFailures = List.of(failure(500, 75.0));
        session.videoTimeline = List.of(new VideoTimelineSegment(0, 10, 0, 10, false),
                new VideoTimelineSegment(10, 70, 10, 12, true), new VideoTimelineSegment(70, 80, 12, 22, false));
        session.createdAt = Instant.now();
        documents.sessions().insertOne(session);

        awaitComplete(session);

        Issue issue = documents.issues().find().first();
        assertThat(issue.timestamp).isEqualTo(17.0);
        assertThat(issue.occurrences).singleElement().satisfies(o -> assertThat(o.timestamp).isEqualTo(17.0));
    }

    @Test
    void aSessionWhoseRecordingIsNotValidJsonFailsWithAClearError() {
        Session session = analyzing("ann", "{\"not\": \"an array\"}".getBytes(), List.of(), List.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> status(session) == SessionStatus.failed);
        assertThat(documents.sessions().find(eq("_id", session.id)).first().lastError)
                .contains("not valid rrweb JSON");
    }

    private Session analyzing(String user, byte[] recording, List<NetworkFailure> failures,
            List<ConsoleError> errors) {
        Session session = new Session();
        session.posthogSessionId = "analyze-" + UUID.randomUUID();
        session.userId = user;
        session.status = SessionStatus.analyzing;
        session.networkFailures = failures;
        session.consoleErrors = errors;
        session.createdAt = Instant.now();
        if (recording != null) {
            session.rrwebEventsUrl = StorageKeys.rrwebEvents(session.posthogSessionId);
            storage.put(session.rrwebEventsUrl, recording, "application/json");
        }
        documents.sessions().insertOne(session);
        return session;
    }

    private Session awaitComplete(Session session) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status(session) == SessionStatus.complete);
        return documents.sessions().find(eq("_id", session.id)).first();
    }

    private SessionStatus status(Session session) {
        return documents.sessions().find(eq("_id", session.id)).first().status;
    }

    private static NetworkFailure failure(int status, double offset) {
        NetworkFailure failure = new NetworkFailure();
        failure.method = "POST";
        failure.url = "https://api.example.com/orders/" + (int) (offset * 10) + "/items";
        failure.status = status;
        failure.offsetSeconds = offset;
        return failure;
    }

    private static ConsoleError consoleError(String message) {
        ConsoleError error = new ConsoleError();
        error.message = message;
        error.url = "https://shop.example.com/orders/1/edit";
        error.offsetSeconds = 2.0;
        return error;
    }
}
