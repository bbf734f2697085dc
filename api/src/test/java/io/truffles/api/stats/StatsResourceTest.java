package io.truffles.api.stats;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.api.ApiTestData;
import com.mongodb.client.model.Updates;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.IssueStatusChange;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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
        documents.monthlySpend().deleteMany(new org.bson.Document());
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
        ModelSpend evening = spend("2026-11-24", 0.25);
        evening.agentCostUsd = 1.5;
        evening.byModel = Map.of("google%2Fgemini-3-pro-preview", 0.25);
        documents.modelSpend().insertMany(List.of(evening, spend("2026-11-25", 0.75)));

        StatsResource.Stats late = stats.stats();
        assertThat(late.since()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(late.agentSpendTodayUsd()).isEqualTo(1.5);
        assertThat(late.modelSpendTodayUsd()).isEqualTo(0.25);
        assertThat(late.spendTodayUsd()).isEqualTo(1.75);
        assertThat(late.spendTodayByModel()).containsExactly(Map.entry("google/gemini-3-pro-preview", 0.25));

        clock.advance(Duration.ofSeconds(1));
        StatsResource.Stats morning = stats.stats();
        assertThat(morning.since()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(morning.agentSpendTodayUsd()).isZero();
        assertThat(morning.modelSpendTodayUsd()).isEqualTo(0.75);
        assertThat(morning.spendTodayUsd()).isEqualTo(0.75);
    }

    @Test
    void aReachedCapIsShownAsAHoldWithItsReasonAndOnEachQueuedAgent() {
        settings.update(List.of(Updates.set("dailyAgentBudgetUsd", 2.0)));
        ModelSpend today = spend(LocalDate.now(ZoneOffset.UTC).toString(), 0);
        today.agentCostUsd = 2.5;
        documents.modelSpend().insertOne(today);
        documents.agentSessions().insertOne(ApiTestData.agent(new ObjectId(), AgentStatus.queued, 0, Instant.now()));
        try {
            given().when().get("/api/stats").then().statusCode(200)
                    .body("caps.dailyAgentBudgetUsd", equalTo(2.0f))
                    .body("holds.models", nullValue())
                    .body("holds.agents", containsString("Today's agent budget is reached: $2.50 of $2.00"));
            given().when().get("/api/agents").then().statusCode(200)
                    .body("queue[0].waitingReason", containsString("dailyAgentBudgetUsd"));

            settings.update(List.of(Updates.set("dailyAgentBudgetUsd", 5.0)));
            given().when().get("/api/stats").then().statusCode(200).body("holds.agents", nullValue());
            given().when().get("/api/agents").then().statusCode(200).body("queue[0].waitingReason", nullValue());
        } finally {
            settings.update(List.of(Updates.unset("dailyAgentBudgetUsd")));
        }
    }

    @Test
    void todaysSpendByKindAndByModelIsInTheMetrics() {
        ModelSpend today = spend(LocalDate.now(ZoneOffset.UTC).toString(), 0.5);
        today.agentCostUsd = 2.25;
        today.byModel = Map.of("claude-sonnet-4-5", 2.25, "google%2Fgemini-3-pro-preview", 0.5);
        documents.modelSpend().insertOne(today);

        // the figures are cached a few seconds between scrapes, and a model's gauge appears once it is first seen
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(matchesPattern("(?s).*truffles_spend_today_dollars\\{kind=\"agents\",?} 2\\.25\n.*"))
                .body(matchesPattern("(?s).*truffles_spend_today_dollars\\{kind=\"models\",?} 0\\.5\n.*"))
                .body(matchesPattern(
                        "(?s).*truffles_spend_today_model_dollars\\{model=\"google/gemini-3-pro-preview\",?} 0\\.5\n.*"))
                .body(containsString("truffles_budget_held{kind=\"agents\"")));
    }

    @Test
    void theCostReportAddsUpDaysModelsSessionMinutesAndIssuesFixed() {
        ModelSpend first = spend("2026-11-20", 1.0);
        first.agentCostUsd = 4.0;
        first.byModel = Map.of("google%2Fgemini-3-pro-preview", 0.75, "anthropic%2Fclaude-opus-4%2E5", 0.25,
                "claude-sonnet-4-5", 4.0);
        ModelSpend second = spend("2026-11-22", 2.0);
        second.agentCostUsd = 2.0;
        second.byModel = Map.of("google%2Fgemini-3-pro-preview", 2.0, "claude-sonnet-4-5", 2.0);
        documents.modelSpend().insertMany(List.of(first, second, spend("2026-11-25", 100.0)));
        Instant inRange = Instant.parse("2026-11-21T12:00:00Z");
        // 120 s each: two complete sessions in the range are 4 minutes; one outside and one failed do not count
        documents.sessions().insertMany(List.of(ApiTestData.session("a", SessionStatus.complete, inRange, 0, 0),
                ApiTestData.session("b", SessionStatus.complete, inRange, 0, 0),
                ApiTestData.session("c", SessionStatus.complete, Instant.parse("2026-11-26T12:00:00Z"), 0, 0),
                ApiTestData.session("d", SessionStatus.failed, inRange, 0, 0)));
        documents.issues().insertMany(List.of(fixed(inRange), fixed(inRange.plus(Duration.ofDays(1))),
                fixed(Instant.parse("2026-11-10T00:00:00Z"))));

        CostReport.Report report = new StatsResource(documents, new MutableClock(LATE), settings)
                .costs("2026-11-20", "2026-11-22");

        assertThat(report.days()).extracting(CostReport.Day::day).containsExactly("2026-11-20", "2026-11-21",
                "2026-11-22");
        assertThat(report.days().get(1).totalUsd()).isZero();
        assertThat(report.days().get(0).totalUsd()).isEqualTo(5.0);
        assertThat(report.modelUsd()).isEqualTo(3.0);
        assertThat(report.agentUsd()).isEqualTo(6.0);
        assertThat(report.totalUsd()).isEqualTo(9.0);
        assertThat(report.byModel()).containsExactly(Map.entry("claude-sonnet-4-5", 6.0),
                Map.entry("google/gemini-3-pro-preview", 2.75), Map.entry("anthropic/claude-opus-4.5", 0.25));
        assertThat(report.sessionMinutesAnalysed()).isEqualTo(4.0);
        assertThat(report.modelUsdPerSessionMinute()).isEqualTo(0.75);
        assertThat(report.issuesFixed()).isEqualTo(2);
        assertThat(report.agentUsdPerIssueFixed()).isEqualTo(3.0);
    }

    @Test
    void theCostReportRefusesBadDatesAReversedRangeAndMoreThanAYear() {
        given().when().get("/api/stats/costs?from=2026-13-01&to=2026-12-01").then().statusCode(400)
                .body("field", equalTo("from"));
        given().when().get("/api/stats/costs?from=2026-12-01&to=yesterday").then().statusCode(400)
                .body("field", equalTo("to"));
        given().when().get("/api/stats/costs?from=2026-12-02&to=2026-12-01").then().statusCode(400)
                .body("field", equalTo("from"));
        given().when().get("/api/stats/costs?from=2025-01-01&to=2026-01-02").then().statusCode(400)
                .body("field", equalTo("from"));
        given().when().get("/api/stats/costs?from=2025-01-02&to=2026-01-02").then().statusCode(200)
                .body("days.size()", equalTo(366)).body("issuesFixed", equalTo(0))
                .body("agentUsdPerIssueFixed", nullValue());
    }

    private static Issue fixed(Instant at) {
        Issue issue = ApiTestData.issue(new ObjectId(), Severity.red, IssueStatus.pr_open, 1, at);
        issue.statusHistory = List.of(new IssueStatusChange(IssueStatus.queued, at.minusSeconds(60)),
                new IssueStatusChange(IssueStatus.pr_open, at));
        return issue;
    }
}
