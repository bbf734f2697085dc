package io.truffles.analyzer.job;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.mongodb.MongoWriteException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.SessionDataDetectors;
import io.truffles.analyzer.issues.IssueRecorder;
import io.truffles.analyzer.issues.Screening;
import io.truffles.analyzer.models.Prompts;
import io.truffles.analyzer.openrouter.OpenRouterClient;
import io.truffles.analyzer.openrouter.OpenRouterWireMock;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.FalseAlarmSource;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.IndexesAtStartup;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.spend.SpendKind;
import io.truffles.core.spend.SpendLedger;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The screening model against a WireMock OpenRouter, and one issue per problem when analyzers race. */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(value = OpenRouterWireMock.class, restrictToAnnotatedClass = true)
class ScreeningModelTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Documents documents;
    @Inject
    SettingsStore settings;
    @Inject
    LiveSettings live;
    @Inject
    OpenRouterClient models;
    @Inject
    Clock clock;
    @Inject
    IndexesAtStartup indexes;

    WireMockServer openRouter;

    @BeforeEach
    void reset() {
        openRouter = OpenRouterWireMock.server();
        openRouter.resetAll();
        documents.issues().deleteMany(new Document());
        documents.agentSessions().deleteMany(new Document());
        documents.falseAlarms().deleteMany(new Document());
        documents.sessions().deleteMany(new Document());
        documents.modelSpend().deleteMany(new Document());
        // screening alone, so every call WireMock sees is the screening model's
        new ModelSettings("", "", "", ModelSettings.OPUS, 20.0).apply(settings, live);
    }

    @Test
    void aFindingTheScreeningModelJudgesAFalseAlarmIsRecordedAsOneWithItsReasoning() throws Exception {
        alarm("analytics beacon", "Blocked trackers fail all the time; users notice nothing.");
        screeningAnswers("false_alarm", null, "The failing request is the analytics beacon, a known false alarm.");

        Session session = analyzing("ann", failure("https://stats.example.com/collect", 4.0));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(session) == SessionStatus.complete);

        Issue issue = documents.issues().find().first();
        assertThat(issue.status).isEqualTo(IssueStatus.false_alarm);
        assertThat(issue.screeningPassed).isFalse();
        assertThat(issue.screeningReasoning).contains("analytics beacon, a known false alarm")
                .contains(Prompts.SCREENING_VERSION);
        assertThat(issue.falseAlarmReason).isEqualTo(issue.screeningReasoning);
        assertThat(documents.agentSessions().countDocuments()).isZero();
        JsonNode request = JSON.readTree(openRouter.getAllServeEvents().get(0).getRequest().getBodyAsString());
        assertThat(request.path("model").asText()).isEqualTo(ModelSettings.OPUS);
        assertThat(request.path("messages").path(0).path("content").asText()).isEqualTo(Prompts.SCREENING_SYSTEM);
        assertThat(request.path("messages").path(1).path("content").path(0).path("text").asText())
                .contains("\"pattern\" : \"analytics beacon\"").contains("POST /collect (500)");
        assertThat(modelsSpentToday()).isEqualTo(0.003534);
    }

    @Test
    void aFindingTheScreeningModelCallsADuplicateBecomesAnOccurrenceOfTheOpenIssue() throws Exception {
        screeningAnswers("real", null, "Saving an order fails for the user.");
        Session first = analyzing("ann", failure("https://api.example.com/orders/5/items", 4.0));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(first) == SessionStatus.complete);
        Issue open = documents.issues().find().first();
        assertThat(open.status).isEqualTo(IssueStatus.queued);
        assertThat(open.screeningReasoning).contains("Saving an order fails for the user.");

        // the same outage seen from another endpoint: a different fingerprint, the same problem
        screeningAnswers("duplicate", open.id.toHexString(), "Both are the order service answering 500.");
        Session second = analyzing("bob", failure("https://api.example.com/orders/9/lines", 2.0));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(second) == SessionStatus.complete);

        assertThat(documents.issues().countDocuments()).isEqualTo(1);
        Issue grown = documents.issues().find(eq("_id", open.id)).first();
        assertThat(grown.occurrences).extracting(o -> o.sessionId).containsExactly(first.id, second.id);
        assertThat(grown.userCount).isEqualTo(2);
        String evidence = JSON.readTree(openRouter.getAllServeEvents().get(0).getRequest().getBodyAsString())
                .path("messages").path(1).path("content").path(0).path("text").asText();
        assertThat(evidence).contains(open.id.toHexString());
    }

    @Test
    void twoAnalyzersRecordingTheSameNewProblemAtOnceMakeOneIssueWithOneAgent() throws Exception {
        // a slow screening model holds both analyzers between "no open issue yet" and creating it
        openRouter.stubFor(OpenRouterWireMock.completion("issue_screening").willReturn(OpenRouterWireMock.answer(
                "{\"verdict\":\"real\",\"duplicateOf\":null,\"reasoning\":\"Users cannot save.\"}")
                .withFixedDelay(1500)));
        Session ann = session("ann", failure("https://api.example.com/orders/5/items", 4.0));
        Session bob = session("bob", failure("https://api.example.com/orders/7/items", 6.0));
        List<Finding> annFindings = SessionDataDetectors.detect(ann);
        assertThat(annFindings.get(0).fingerprint()).isEqualTo(SessionDataDetectors.detect(bob).get(0).fingerprint());

        // the unique (fingerprint, generation) index is what lets only one of them insert
        await().atMost(Duration.ofSeconds(30)).until(indexes::ensured);
        ExecutorService analyzers = Executors.newFixedThreadPool(2);
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<List<Issue>>> recorded = new ArrayList<>();
        for (Session session : List.of(ann, bob)) {
            // each analyzer has its own recorder, as two processes would
            IssueRecorder recorder = new IssueRecorder(documents,
                    new Screening(documents, models, ledger()), clock);
            recorded.add(analyzers.submit(() -> {
                together.await();
                return recorder.record(session, SessionDataDetectors.detect(session), live.current());
            }));
        }
        for (Future<List<Issue>> done : recorded) {
            done.get(60, TimeUnit.SECONDS);
        }
        analyzers.shutdown();

        // the session whose analyzer created the issue screens it; the other's is an occurrence of it
        openRouter.verify(1, postRequestedFor(urlEqualTo("/api/v1/chat/completions")));
        assertThat(documents.issues().countDocuments()).isEqualTo(1);
        Issue issue = documents.issues().find().first();
        assertThat(issue.occurrences).extracting(o -> o.userId).containsExactlyInAnyOrder("ann", "bob");
        assertThat(issue.sessionCount).isEqualTo(2);
        assertThat(documents.agentSessions().countDocuments()).isEqualTo(1);
        // what makes it hold on a real MongoDB too: the store itself refuses a second issue for the problem
        Issue second = new Issue();
        second.fingerprint = issue.fingerprint;
        second.fingerprintGeneration = issue.fingerprintGeneration;
        second.severity = Severity.red;
        second.status = IssueStatus.queued;
        assertThatThrownBy(() -> documents.issues().insertOne(second)).isInstanceOf(MongoWriteException.class)
                .hasMessageContaining("duplicate key");
    }

    @Test
    void withTheBudgetSpentBeforeTheSessionNoIssueIsRecordedUntilTheSessionMayUseItsModels() {
        new ModelSettings("", "", "", ModelSettings.OPUS, 0.001).apply(settings, live);
        ledger().record(SpendKind.models, "test", 0.002);

        Session session = analyzing("ann", failure("https://api.example.com/orders/5/items", 4.0));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> documents.sessions().find(eq("_id", session.id)).first().waitingReason != null);

        assertThat(status(session)).isEqualTo(SessionStatus.analyzing);
        assertThat(documents.issues().countDocuments()).isZero();
        openRouter.verify(0, postRequestedFor(urlEqualTo("/api/v1/chat/completions")));
    }

    private void screeningAnswers(String verdict, String duplicateOf, String reasoning) throws Exception {
        openRouter.stubFor(OpenRouterWireMock.completion("issue_screening").willReturn(OpenRouterWireMock.answer(
                JSON.createObjectNode().put("verdict", verdict).put("duplicateOf", duplicateOf)
                        .put("reasoning", reasoning).toString())));
    }

    private void alarm(String pattern, String reason) {
        FalseAlarm alarm = new FalseAlarm();
        alarm.pattern = pattern;
        alarm.reason = reason;
        alarm.source = FalseAlarmSource.manual;
        alarm.createdAt = Instant.now();
        documents.falseAlarms().insertOne(alarm);
    }

    private Session session(String user, NetworkFailure failure) {
        Session session = new Session();
        session.id = new ObjectId();
        session.posthogSessionId = "screening-" + UUID.randomUUID();
        session.userId = user;
        session.networkFailures = List.of(failure);
        session.createdAt = Instant.now();
        return session;
    }

    private Session analyzing(String user, NetworkFailure failure) {
        Session session = session(user, failure);
        session.status = SessionStatus.analyzing;
        documents.sessions().insertOne(session);
        return session;
    }

    private SessionStatus status(Session session) {
        return documents.sessions().find(eq("_id", session.id)).first().status;
    }

    private static NetworkFailure failure(String url, double offset) {
        NetworkFailure failure = new NetworkFailure();
        failure.method = "POST";
        failure.url = url;
        failure.status = 500;
        failure.offsetSeconds = offset;
        return failure;
    }

    private SpendLedger ledger() {
        return new SpendLedger(documents, clock, SettingsStore::builtInDefaults);
    }

    private double modelsSpentToday() {
        return ledger().spentToday(SpendKind.models);
    }
}
