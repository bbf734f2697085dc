package io.truffles.analyzer.job;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.mongo.Documents;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The detectors on sessions recorded in real Chromium with rrweb's real recorder (tools/rrweb-recorder made
 * them; {@code problems.expected.json} and {@code calm.expected.json} hold when the script acted, on its own clock).
 * The problems recording has an idle stretch the test's timeline collapses, so issues must land at their video time,
 * not their session time.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class ChromiumRecordingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Documents documents;
    @Inject
    ObjectStorage storage;

    @BeforeEach
    void noIssuesYet() {
        documents.issues().deleteMany(new Document());
        documents.agentSessions().deleteMany(new Document());
        documents.falseAlarms().deleteMany(new Document());
        documents.sessions().deleteMany(new Document());
    }

    @Test
    void eachUserActionsSignalsAreOneIssueAtItsVideoTimeWithEverySignalAsEvidence() throws IOException {
        JsonNode expected = JSON.readTree(resource("problems.expected.json"));
        // the user stared at the page for ~9 s after the dead click; the renderer showed that as a 1 s marker
        double idleFrom = expected.get("deadClick").asDouble() + 1.5;
        double idleTo = expected.get("rageClick").asDouble() - 0.5;
        List<VideoTimelineSegment> timeline = List.of(
                new VideoTimelineSegment(0, idleFrom, 0, idleFrom, false),
                new VideoTimelineSegment(idleFrom, idleTo, idleFrom, idleFrom + 1, true),
                new VideoTimelineSegment(idleTo, idleTo + 10, idleFrom + 1, idleFrom + 11, false));

        Session session = analyze("problems.rrweb.json", timeline);

        // three problems, three issues: the report that fails (its 500 and the error it shows), the export that
        // throws (its TypeError and the "Exporting…" left on screen), and Share, dead and then rage-clicked
        List<Issue> issues = documents.issues().find(eq("sessionId", session.id)).into(new ArrayList<>());
        assertThat(issues).hasSize(3);
        assertAt(issues, "failed_request:", expected.get("failedRequest").asDouble(), timeline);
        assertAt(issues, "console_error:", expected.get("thrownError").asDouble(), timeline);
        assertAt(issues, "dead_click:", expected.get("deadClick").asDouble(), timeline);
        Issue report = only(issues, "failed_request:");
        assertThat(report.title).contains("Load report").contains("GET /api/reports/").contains("500")
                .contains("The report could not be loaded.");
        assertThat(report.evidence).extracting(evidence -> evidence.kind)
                .contains("action", "failed_request", "error_banner");
        Issue export = only(issues, "console_error:");
        assertThat(export.title).contains("Export CSV").contains("Uncaught TypeError");
        assertThat(export.severity).isEqualTo(io.truffles.core.documents.Severity.red);
        assertThat(export.severityReason).startsWith("User blocked");
        Issue share = only(issues, "dead_click:");
        assertThat(share.title).contains("Share").contains("does nothing").contains("user retried 5\u00d7");
        // the rage click stays as evidence, placed after the collapsed stretch: video time ~8 s before session time
        assertThat(share.evidence).filteredOn(evidence -> evidence.kind.equals("rage_click")).singleElement()
                .satisfies(rage -> assertThat(rage.time).isLessThan(expected.get("rageClick").asDouble() - 6));
        assertThat(session.issueCount.red + session.issueCount.yellow).isEqualTo(3);
    }

    @Test
    void aCalmRecordingWhoseClicksAreAnsweredYieldsNoIssue() throws IOException {
        // Save answers with a DOM change, "Show latest entry" only with a scroll half a second later; both clicks
        // have more than 2.5 s of recording after them, so a detector that took either for dead would report it
        JsonNode events = JSON.readTree(resource("calm.rrweb.json"));
        long start = events.get(0).get("timestamp").asLong();
        long end = events.get(events.size() - 1).get("timestamp").asLong();
        JsonNode expected = JSON.readTree(resource("calm.expected.json"));
        for (String button : List.of("save", "latest")) {
            long clicked = clickNear(events, start + (long) (expected.get(button).asDouble() * 1000));
            assertThat(end - clicked).as(button + " is judged").isGreaterThan(2_500);
        }

        Session session = analyze("calm.rrweb.json", null);

        assertThat(documents.issues().countDocuments()).isZero();
        assertThat(session.issueCount.red).isZero();
        assertThat(session.issueCount.yellow).isZero();
    }

    /** The recorded click within half a second of when the script clicked. */
    private static long clickNear(JsonNode events, long at) {
        for (JsonNode event : events) {
            JsonNode data = event.path("data");
            long timestamp = event.path("timestamp").asLong();
            if (event.path("type").asInt() == 3 && data.path("source").asInt() == 2 && data.path("type").asInt() == 2
                    && Math.abs(timestamp - at) <= 500) {
                return timestamp;
            }
        }
        throw new AssertionError("no click recorded near " + at);
    }

    private static void assertAt(List<Issue> issues, String kind, double sessionSeconds,
            List<VideoTimelineSegment> timeline) {
        double videoSeconds = VideoTimelineSegment.videoTimeOf(timeline, sessionSeconds);
        assertThat(only(issues, kind).timestamp).as(kind + " video time").isCloseTo(videoSeconds, within(1.0));
    }

    private static Issue only(List<Issue> issues, String kind) {
        return issues.stream().filter(issue -> issue.fingerprint.startsWith(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " issue among " + issues.stream()
                        .map(issue -> issue.title).toList()));
    }

    private Session analyze(String recording, List<VideoTimelineSegment> timeline) throws IOException {
        byte[] events = resource(recording).readAllBytes();
        Session session = new Session();
        session.posthogSessionId = "chromium-" + UUID.randomUUID();
        session.userId = "ada";
        session.status = SessionStatus.analyzing;
        session.videoTimeline = timeline;
        PluginFacts facts = PluginFacts.of(JSON.readTree(events));
        session.consoleErrors = facts.errors();
        session.networkFailures = facts.failures();
        session.createdAt = Instant.now();
        session.rrwebEventsUrl = StorageKeys.rrwebEvents(session.posthogSessionId);
        storage.put(session.rrwebEventsUrl, events, "application/json");
        documents.sessions().insertOne(session);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> documents.sessions().find(eq("_id", session.id)).first().status == SessionStatus.complete);
        return documents.sessions().find(eq("_id", session.id)).first();
    }

    private static InputStream resource(String name) {
        return ChromiumRecordingTest.class.getResourceAsStream("/recordings/" + name);
    }
}
