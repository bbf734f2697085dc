package io.truffles.api.stats;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.api.ApiTestData;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.ModelSpend;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class StatsResourceTest {
    @Inject
    Documents documents;

    @Test
    void countsEveryStatusAndTodaysAgentAndModelSpend() {
        ApiTestData.clear(documents);
        Instant now = Instant.now();
        documents.sessions().insertMany(List.of(ApiTestData.session("a", SessionStatus.complete, now, 0, 0),
                ApiTestData.session("b", SessionStatus.complete, now, 0, 0),
                ApiTestData.session("c", SessionStatus.failed, now, 0, 0)));
        documents.issues().insertOne(ApiTestData.issue(new ObjectId(), Severity.red, IssueStatus.pr_open, 1, now));
        documents.agentSessions().insertMany(List.of(ApiTestData.agent(new ObjectId(), AgentStatus.done, 1.5, now),
                ApiTestData.agent(new ObjectId(), AgentStatus.done, 9.0, now.minusSeconds(3 * 86400))));
        documents.modelSpend().deleteMany(new org.bson.Document());
        ModelSpend models = new ModelSpend();
        models.id = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        models.costUsd = 0.25;
        documents.modelSpend().insertOne(models);
        given().when().get("/api/stats")
                .then().statusCode(200)
                .body("sessions.complete", equalTo(2))
                .body("sessions.failed", equalTo(1))
                .body("sessions.pending", equalTo(0))
                .body("issues.pr_open", equalTo(1))
                .body("agents.done", equalTo(2))
                .body("agentSpendTodayUsd", equalTo(1.5f))
                .body("modelSpendTodayUsd", equalTo(0.25f))
                .body("spendTodayUsd", equalTo(1.75f));
    }
}
