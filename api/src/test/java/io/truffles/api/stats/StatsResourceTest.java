package io.truffles.api.stats;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
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
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import io.truffles.core.testing.MutableClock;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class StatsResourceTest {
    /** Half a second before a UTC midnight: "today" must follow the clock, not the machine's date. */
    private static final Instant LATE = Instant.parse("2026-11-24T23:59:59.500Z");

    @Inject
    Documents documents;

    @Inject
    SettingsStore settings;

    @BeforeEach
    void clear() {
        ApiTestData.clear(documents);
        documents.modelSpend().deleteMany(new org.bson.Document());
    }

    private static ModelSpend spend(String day, double cost) {
        ModelSpend models = new ModelSpend();
        models.id = day;
        models.costUsd = cost;
        return models;
    }

    @Test
    void countsEveryStatusOverHttp() {
        Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
        documents.sessions().insertMany(List.of(ApiTestData.session("a", SessionStatus.complete, t0, 0, 0),
                ApiTestData.session("b", SessionStatus.complete, t0, 0, 0),
                ApiTestData.session("c", SessionStatus.failed, t0, 0, 0)));
        documents.issues().insertOne(ApiTestData.issue(new ObjectId(), Severity.red, IssueStatus.pr_open, 1, t0));
        documents.agentSessions().insertMany(List.of(ApiTestData.agent(new ObjectId(), AgentStatus.done, 1.5, t0),
                ApiTestData.agent(new ObjectId(), AgentStatus.failed, 9.0, t0)));
        given().when().get("/api/stats")
                .then().statusCode(200)
                .body("sessions.complete", equalTo(2))
                .body("sessions.failed", equalTo(1))
                .body("sessions.pending", equalTo(0))
                .body("issues.pr_open", equalTo(1))
                .body("agents.done", equalTo(1))
                .body("agents.failed", equalTo(1))
                .body("agents.coding", equalTo(0))
                // every document is days old: nothing was spent today, whatever today is
                .body("spendTodayUsd", equalTo(0.0f));
    }

    @Test
    void theDailyBudgetShownIsTheRuntimeSettingAndFollowsAChange() {
        settings.update(List.of(com.mongodb.client.model.Updates.set("dailyModelBudgetUsd", 7.5)));
        given().when().get("/api/stats").then().statusCode(200).body("dailyModelBudgetUsd", equalTo(7.5f));
        settings.update(List.of(com.mongodb.client.model.Updates.set("dailyModelBudgetUsd", 30.0)));
        given().when().get("/api/stats").then().statusCode(200).body("dailyModelBudgetUsd", equalTo(30.0f));
    }

    @Test
    void todaysSpendIsTheUtcDayOfTheInjectedClockAndStartsAgainAtMidnight() {
        MutableClock clock = new MutableClock(LATE);
        StatsResource stats = new StatsResource(documents, clock, settings);
        documents.agentSessions().insertMany(List.of(
                ApiTestData.agent(new ObjectId(), AgentStatus.done, 1.5, LATE.minusSeconds(60)),
                ApiTestData.agent(new ObjectId(), AgentStatus.done, 9.0, LATE.minus(Duration.ofDays(1)))));
        documents.modelSpend().insertMany(List.of(spend("2026-11-24", 0.25), spend("2026-11-25", 0.75)));

        StatsResource.Stats evening = stats.stats();
        assertThat(evening.since()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(evening.agentSpendTodayUsd()).isEqualTo(1.5);
        assertThat(evening.modelSpendTodayUsd()).isEqualTo(0.25);
        assertThat(evening.spendTodayUsd()).isEqualTo(1.75);

        clock.advance(Duration.ofSeconds(1));
        StatsResource.Stats morning = stats.stats();
        assertThat(morning.since()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(morning.agentSpendTodayUsd()).isZero();
        assertThat(morning.modelSpendTodayUsd()).isEqualTo(0.75);
        assertThat(morning.spendTodayUsd()).isEqualTo(0.75);
    }
}
