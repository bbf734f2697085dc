package io.truffles.analyzer.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.analyzer.openrouter.OpenRouterWireMock;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.mongo.Documents;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * A 402 at the session level: the session that met it and the ones after it say the account is out of credits, no
 * further call reaches OpenRouter (not the screening model either), and the detectors' issues are recorded all the
 * same. A class of its own: the stop lasts the client's lifetime, which this class's restart of Quarkus bounds.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(value = OpenRouterWireMock.class, restrictToAnnotatedClass = true)
class OutOfCreditsTest {
    @Inject
    Documents documents;
    @Inject
    SettingsStore settings;
    @Inject
    LiveSettings live;

    @Test
    void runningOutOfCreditsIsSaidOnTheSessionAndTheNextSessionsSkipModelsForThatReason() {
        WireMockServer openRouter = OpenRouterWireMock.server();
        openRouter.resetAll();
        openRouter.stubFor(post(urlEqualTo("/api/v1/chat/completions")).willReturn(aResponse().withStatus(402)
                .withHeader("Content-Type", "application/json")
                .withBody(OpenRouterWireMock.fixture("openrouter_error_402.json"))));
        documents.issues().deleteMany(new Document());
        documents.sessions().deleteMany(new Document());
        documents.modelSpend().deleteMany(new Document());
        new ModelSettings(ModelSettings.OPUS, "", "", ModelSettings.OPUS, 20.0).apply(settings, live);

        Session first = awaitComplete(analyzing("/orders/5/items"));
        assertThat(first.modelAnalysisSkipped).contains("The text model's call failed")
                .contains("out of credits (402: Insufficient credits");
        Session second = awaitComplete(analyzing("/invoices/9"));
        assertThat(second.modelAnalysisSkipped).contains("out of credits").contains("only the deterministic "
                + "detectors ran");

        // the first session's 402 was the only call: the screening model and the second session never called
        openRouter.verify(1, postRequestedFor(urlEqualTo("/api/v1/chat/completions")));
        List<Issue> issues = documents.issues().find().into(new ArrayList<>());
        assertThat(issues).hasSize(2).allSatisfy(issue -> {
            assertThat(issue.status).isEqualTo(IssueStatus.queued);
            assertThat(issue.screeningReasoning).contains("pattern screening only").contains("out of credits");
        });
        assertThat(second.issueCount.red).isEqualTo(1);
    }

    private Session analyzing(String path) {
        NetworkFailure failure = new NetworkFailure();
        failure.method = "POST";
        failure.url = "https://api.example.com" + path;
        failure.status = 500;
        failure.offsetSeconds = 3.0;
        Session session = new Session();
        session.posthogSessionId = "credits-" + UUID.randomUUID();
        session.userId = "ann";
        session.status = SessionStatus.analyzing;
        session.networkFailures = List.of(failure);
        session.createdAt = Instant.now();
        documents.sessions().insertOne(session);
        return session;
    }

    private Session awaitComplete(Session session) {
        await().atMost(Duration.ofSeconds(30)).until(
                () -> documents.sessions().find(eq("_id", session.id)).first().status == SessionStatus.complete);
        return documents.sessions().find(eq("_id", session.id)).first();
    }
}
