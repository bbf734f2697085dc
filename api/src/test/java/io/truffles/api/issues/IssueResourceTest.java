package io.truffles.api.issues;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.truffles.api.ApiTestData;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Occurrence;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class IssueResourceTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Inject
    Documents documents;

    private final List<Issue> issues = new ArrayList<>();

    @BeforeEach
    void load() {
        ApiTestData.clear(documents);
        issues.clear();
        ObjectId session = new ObjectId();
        // sessions affected: 5, 1, 9, 3; created in that order
        int[] counts = {5, 1, 9, 3};
        for (int i = 0; i < counts.length; i++) {
            Issue issue = ApiTestData.issue(session, i % 2 == 0 ? Severity.red : Severity.yellow,
                    i == 3 ? IssueStatus.pr_open : IssueStatus.queued, counts[i], T0.plusSeconds(i));
            issue.analysisSource = i == 1 ? AnalysisSource.video : AnalysisSource.both;
            issues.add(issue);
        }
        documents.issues().insertMany(issues);
    }

    @Test
    void byDefaultTheIssueThatHurtTheMostSessionsComesFirstAndPagesByCursor() {
        JsonPath first = given().queryParam("limit", 2).when().get("/api/issues")
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items.sessionCount", Integer.class)).containsExactly(9, 5);
        given().queryParam("limit", 2).queryParam("cursor", first.getString("nextCursor")).when().get("/api/issues")
                .then().statusCode(200).body("items.sessionCount", contains(3, 1));
    }

    @Test
    void eachListedIssueCarriesItsLatestOccurrenceWithThatSessionsThumbnailAndItsLatestAgent() {
        Issue issue = issues.get(2);
        Session latest = ApiTestData.session("latest", SessionStatus.complete, T0, 1, 0);
        documents.sessions().insertOne(latest);
        Occurrence occurrence = new Occurrence();
        occurrence.sessionId = latest.id;
        occurrence.userId = "u2";
        occurrence.timestamp = 41.0;
        occurrence.seenAt = T0.plusSeconds(100);
        documents.issues().updateOne(new org.bson.Document("_id", issue.id),
                com.mongodb.client.model.Updates.push("occurrences", occurrence));
        documents.agentSessions().insertMany(List.of(ApiTestData.agent(issue.id, AgentStatus.failed, 0.5, T0),
                ApiTestData.agent(issue.id, AgentStatus.coding, 0.25, T0.plusSeconds(60))));
        JsonPath list = given().when().get("/api/issues").then().statusCode(200).extract().jsonPath();
        String card = "items.find { it._id == '" + issue.id.toHexString() + "' }";
        assertThat(list.getString(card + ".latestOccurrence.sessionId")).isEqualTo(latest.id.toHexString());
        assertThat(list.getDouble(card + ".latestOccurrence.timestamp")).isEqualTo(41.0);
        assertThat(list.getString(card + ".latestOccurrence.thumbnailUrl"))
                .contains("sessions/latest/thumbnail.jpg").contains("X-Amz-Signature");
        assertThat(list.getString(card + ".agent.status")).isEqualTo("coding");
        assertThat(list.getDouble(card + ".agent.costUsd")).isEqualTo(0.25);
        // the full occurrence list stays on the issue's own page
        assertThat(list.getList(card + ".occurrences")).isNull();
        String other = "items.find { it._id == '" + issues.get(0).id.toHexString() + "' }";
        assertThat(list.getString(other + ".agent")).isNull();
        // its only session is not stored: the moment is still there, with no thumbnail
        assertThat(list.getDouble(other + ".latestOccurrence.timestamp")).isEqualTo(12.5);
        assertThat(list.getString(other + ".latestOccurrence.thumbnailUrl")).isNull();
    }

    @Test
    void anIssueWrittenWithoutOccurrencesIsListedWithoutALatestOneAndTheOthersKeepTheirs() {
        org.bson.Document bare = new org.bson.Document("_id", new ObjectId()).append("title", "Made by hand")
                .append("severity", "red").append("status", "queued").append("sessionCount", 100)
                .append("userCount", 1).append("createdAt", java.util.Date.from(T0));
        documents.database().getCollection("issues").insertOne(bare);

        JsonPath list = given().when().get("/api/issues").then().statusCode(200).extract().jsonPath();

        String card = "items.find { it._id == '" + bare.getObjectId("_id").toHexString() + "' }";
        assertThat(list.getString(card + ".title")).isEqualTo("Made by hand");
        assertThat(list.getString(card + ".latestOccurrence")).isNull();
        String other = "items.find { it._id == '" + issues.get(0).id.toHexString() + "' }";
        assertThat(list.getDouble(other + ".latestOccurrence.timestamp")).isEqualTo(12.5);
    }

    @Test
    void sortsByRecencyAndFiltersByStatusSeverityAndSource() {
        given().queryParam("sort", "recent").when().get("/api/issues")
                .then().statusCode(200).body("items.sessionCount", contains(3, 9, 1, 5));
        given().queryParam("status", "pr_open").when().get("/api/issues")
                .then().statusCode(200).body("items.sessionCount", contains(3));
        given().queryParam("severity", "red").when().get("/api/issues")
                .then().statusCode(200).body("items.sessionCount", contains(9, 5));
        given().queryParam("source", "video").when().get("/api/issues")
                .then().statusCode(200).body("items.sessionCount", contains(1));
        given().queryParam("sort", "loudest").when().get("/api/issues")
                .then().statusCode(400).body("field", equalTo("sort"));
    }

    @ParameterizedTest
    @CsvSource({
        "status, exploded", "severity, purple", "source, telepathy", "sort, loudest",
        "cursor, garbage!", "cursor, bm90LWEtY3Vyc29y", "limit, 0", "limit, 201", "limit, -5", "limit, ten",
        "limit, 1e3"})
    void aBadParameterAnswers400NamingIt(String parameter, String value) {
        given().queryParam(parameter, value).when().get("/api/issues")
                .then().statusCode(400).body("field", equalTo(parameter))
                .body("error", startsWith(parameter + ": "));
    }

    @Test
    void oneIssueHasOccurrencesScreeningAgentsAndPrLink() {
        Issue issue = issues.get(3);
        documents.issues().updateOne(new org.bson.Document("_id", issue.id),
                new org.bson.Document("$set", new org.bson.Document("prUrl", "https://github.com/o/r/pull/7")));
        documents.agentSessions().insertOne(ApiTestData.agent(issue.id, AgentStatus.done, 1.25, T0));
        given().when().get("/api/issues/" + issue.id.toHexString())
                .then().statusCode(200)
                .body("_id", equalTo(issue.id.toHexString()))
                .body("occurrences", hasSize(1))
                .body("screeningPassed", equalTo(true))
                .body("screeningReasoning", equalTo("Not a known false alarm"))
                .body("prUrl", equalTo("https://github.com/o/r/pull/7"))
                .body("agentSessions", hasSize(1))
                .body("agentSessions[0].status", equalTo("done"));
        given().when().get("/api/issues/0123456789abcdef01234567").then().statusCode(404);
    }

    @Test
    void eachAgentRunOnTheIssuePageCarriesItsCostSoFarWhileRunningAndItsFinalCostOnceEnded() {
        Issue issue = issues.get(3);
        AgentSession running = ApiTestData.agent(issue.id, AgentStatus.coding, 0, T0.plusSeconds(60));
        running.costUsd = null;
        running.outputLog.add(new OutputEntry(T0, "verifying",
                "{\"type\":\"result\",\"subtype\":\"success\",\"total_cost_usd\":0.25}"));
        running.outputLog.add(new OutputEntry(T0, "planning",
                "{\"type\":\"result\",\"subtype\":\"success\",\"total_cost_usd\":0.5}"));
        AgentSession failed = ApiTestData.agent(issue.id, AgentStatus.failed, 1.25, T0);
        failed.outputLog.add(running.outputLog.get(0));
        documents.agentSessions().insertMany(List.of(running, failed));
        given().when().get("/api/issues/" + issue.id.toHexString())
                .then().statusCode(200)
                .body("agentSessions._id", contains(running.id.toHexString(), failed.id.toHexString()))
                .body("agentSessions[0].costUsd", org.hamcrest.Matchers.nullValue())
                .body("agentSessions[0].usage.costUsd", equalTo(0.75f))
                .body("agentSessions[1].usage.costUsd", equalTo(1.25f))
                .body("agentSessions[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("outputLog")));
    }

    @Test
    void anAdminMarksAnIssueAFalseAlarmWhichAddsOnePatternEvenWhenRepeated() {
        Issue issue = issues.get(0);
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                    .body("{\"reason\":\"The banner is a test fixture\"}")
                    .when().post("/api/issues/" + issue.id.toHexString() + "/false-alarm")
                    .then().statusCode(200)
                    .body("status", equalTo("false_alarm"))
                    .body("falseAlarmReason", equalTo("The banner is a test fixture"));
        }
        List<FalseAlarm> alarms = documents.falseAlarms().find().into(new ArrayList<>());
        assertThat(alarms).hasSize(1);
        assertThat(alarms.get(0).issueId).isEqualTo(issue.id);
        assertThat(alarms.get(0).pattern).startsWith(issue.title);
    }

    @Test
    void markingAFalseAlarmNeedsAReasonTheAdminPasswordAndAKnownIssue() {
        String path = "/api/issues/" + issues.get(0).id.toHexString() + "/false-alarm";
        given().contentType("application/json").body("{\"reason\":\"x\"}").when().post(path)
                .then().statusCode(401);
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json").body("{}")
                .when().post(path).then().statusCode(400).body("field", equalTo("reason"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json").body("{\"reason\":")
                .when().post(path).then().statusCode(400).body("field", equalTo("body"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"reason\":\"x\",\"colour\":\"red\"}")
                .when().post(path).then().statusCode(400).body("field", equalTo("colour"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json").body("{\"reason\":\"x\"}")
                .when().post("/api/issues/0123456789abcdef01234567/false-alarm").then().statusCode(404);
        assertThat(documents.falseAlarms().countDocuments()).isZero();
        assertThat(documents.issues().countDocuments(new org.bson.Document("status", "false_alarm"))).isZero();
    }
}
