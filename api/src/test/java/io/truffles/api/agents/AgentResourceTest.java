package io.truffles.api.agents;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.api.ApiTestData;
import io.truffles.core.agents.AgentSessionStore;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class AgentResourceTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Inject
    Documents documents;

    @ConfigProperty(name = "truffles.mongodb.uri")
    String mongoUri;

    private Issue issue;

    @BeforeEach
    void load() {
        ApiTestData.clear(documents);
        issue = ApiTestData.issue(new ObjectId(), Severity.red, IssueStatus.queued, 2, T0);
        documents.issues().insertOne(issue);
    }

    private String startBody(String issueId) {
        return "{\"issueId\":\"" + issueId + "\",\"issueTitle\":\"Pay does nothing\",\"issueDescription\":\"...\","
                + "\"severity\":\"red\",\"sessionContext\":{\"url\":\"/checkout\"}}";
    }

    @Test
    void startQueuesAnAgentForTheIssueAndRefusesASecondLiveOneWith409() {
        String id = given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body(startBody(issue.id.toHexString()))
                .when().post("/api/agents/start")
                .then().statusCode(201).body("status", equalTo("queued"))
                .body("issueId", equalTo(issue.id.toHexString()))
                .extract().path("_id");
        Document stored = documents.database().getCollection("agentSessions").find(new Document("_id", new ObjectId(id)))
                .first();
        assertThat(stored.getString("issueTitle")).isEqualTo("Pay does nothing");
        assertThat(stored.get("sessionContext", Document.class).getString("url")).isEqualTo("/checkout");
        assertThat(documents.issues().find(new Document("_id", issue.id)).first().agentSessionId)
                .isEqualTo(new ObjectId(id));

        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body(startBody(issue.id.toHexString()))
                .when().post("/api/agents/start")
                .then().statusCode(409).body("error", containsString(id));
        assertThat(documents.agentSessions().countDocuments()).isEqualTo(1);
    }

    /**
     * Two api processes and the analyzer racing for the same issues: the api's starts go over HTTP from many threads,
     * the analyzer's upsert (its exact filter and fields) comes over a second connection, as from its own process.
     */
    @Test
    void concurrentStartsFromApiAndAnalyzerLeaveExactlyOneLiveAgentPerIssue() throws Exception {
        List<Issue> issues = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Issue other = ApiTestData.issue(new ObjectId(), Severity.red, IssueStatus.queued, 1, T0);
            documents.issues().insertOne(other);
            issues.add(other);
        }
        List<String> live = AgentSessionStore.LIVE_STATUSES;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try (MongoClient analyzerProcess = MongoConnections.connect(mongoUri)) {
            Documents analyzer = MongoConnections.documents(analyzerProcess, mongoUri);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> starts = new ArrayList<>();
            for (Issue target : issues) {
                for (int i = 0; i < 6; i++) {
                    starts.add(pool.submit(() -> {
                        go.await();
                        return given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                                .body(startBody(target.id.toHexString())).when().post("/api/agents/start")
                                .then().extract().statusCode();
                    }));
                }
                for (int i = 0; i < 3; i++) {
                    starts.add(pool.submit(() -> {
                        go.await();
                        Instant now = Instant.now();
                        analyzer.agentSessions().findOneAndUpdate(
                                Filters.and(Filters.eq("issueId", target.id), Filters.in("status", live)),
                                Updates.combine(Updates.setOnInsert("status", AgentStatus.queued.name()),
                                        Updates.setOnInsert("attempts", 0),
                                        Updates.setOnInsert("outputLog", List.of()),
                                        Updates.setOnInsert("createdAt", now), Updates.setOnInsert("updatedAt", now)),
                                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
                        return 0;
                    }));
                }
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> start : starts) {
                codes.add(start.get(120, TimeUnit.SECONDS));
            }
            assertThat(codes).allMatch(code -> code == 0 || code == 201 || code == 409);
            assertThat(codes.stream().filter(code -> code == 201).count()).isLessThanOrEqualTo(issues.size());
            for (Issue target : issues) {
                assertThat(documents.agentSessions().countDocuments(Filters.and(Filters.eq("issueId", target.id),
                        Filters.in("status", live)))).as("live agents for one issue").isEqualTo(1);
            }
            // the guard is about live agents only: once the agent ends, the issue can get a new one
            Issue first = issues.get(0);
            documents.agentSessions().updateMany(Filters.eq("issueId", first.id),
                    Updates.set("status", AgentStatus.failed.name()));
            given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                    .body(startBody(first.id.toHexString())).when().post("/api/agents/start")
                    .then().statusCode(201);
            assertThat(documents.agentSessions().countDocuments(Filters.eq("issueId", first.id))).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void startRecordsTheQueuedStatusInTheHistoryAndDetailsShowTheRequestsFields() {
        String id = given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body(startBody(issue.id.toHexString()))
                .when().post("/api/agents/start")
                .then().statusCode(201).extract().path("_id");
        AgentSession stored = documents.agentSessions().find(new Document("_id", new ObjectId(id))).first();
        assertThat(stored.statusHistory).extracting(change -> change.status).containsExactly(AgentStatus.queued);
        assertThat(stored.severity).isEqualTo(Severity.red);
        given().when().get("/api/agents/" + id).then().statusCode(200)
                .body("issueTitle", equalTo("Pay does nothing"))
                .body("issueDescription", equalTo("..."))
                .body("severity", equalTo("red"))
                .body("sessionContext.url", equalTo("/checkout"));
    }

    @Test
    void startValidatesItsBody() {
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json").body("{}")
                .when().post("/api/agents/start").then().statusCode(400).body("field", equalTo("issueId"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"issueId\":\"" + issue.id.toHexString() + "\",\"severity\":\"purple\"}")
                .when().post("/api/agents/start").then().statusCode(400).body("field", equalTo("severity"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body(startBody("0123456789abcdef01234567"))
                .when().post("/api/agents/start").then().statusCode(404);
        given().contentType("application/json").body(startBody(issue.id.toHexString()))
                .when().post("/api/agents/start").then().statusCode(401);
        assertThat(documents.agentSessions().countDocuments()).isZero();
    }

    @Test
    void malformedEmptyAndOversizedStartBodiesAre400Or413AndQueueNothing() {
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{issueId: \"" + issue.id.toHexString() + "\"}")
                .when().post("/api/agents/start").then().statusCode(400).body("field", equalTo("body"));
        // cut off inside a value: the field being read is named
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"issueId\": \"" + issue.id.toHexString())
                .when().post("/api/agents/start").then().statusCode(400).body("field", equalTo("issueId"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json").body("")
                .when().post("/api/agents/start").then().statusCode(400).body("field", equalTo("issueId"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"issueId\":\"" + issue.id.toHexString() + "\",\"issueTitle\":[\"a\"]}")
                .when().post("/api/agents/start").then().statusCode(400).body("field", equalTo("issueTitle"));
        // with Expect: 100-continue the api answers 413 from the Content-Length before the body is sent, so the
        // client never writes into a connection the server closed (a busy machine saw a broken pipe, not the 413)
        given().header("Expect", "100-continue")
                .header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"issueId\":\"" + issue.id.toHexString() + "\",\"issueDescription\":\""
                        + "x".repeat(300_000) + "\"}")
                .when().post("/api/agents/start").then().statusCode(413);
        assertThat(documents.agentSessions().countDocuments()).isZero();
    }

    @Test
    void theListShowsActiveAgentsTheQueueAndStats() {
        AgentSession coding = ApiTestData.agent(issue.id, AgentStatus.coding, 0.5, T0);
        AgentSession queued = ApiTestData.agent(new ObjectId(), AgentStatus.queued, 0, T0.plusSeconds(1));
        AgentSession done = ApiTestData.agent(new ObjectId(), AgentStatus.done, 2.0, T0);
        AgentSession failed = ApiTestData.agent(new ObjectId(), AgentStatus.failed, 0.25, T0);
        documents.agentSessions().insertMany(java.util.List.of(coding, queued, done, failed));
        given().when().get("/api/agents")
                .then().statusCode(200)
                .body("active._id", contains(coding.id.toHexString()))
                .body("queue._id", contains(queued.id.toHexString()))
                .body("stats.running", equalTo(1))
                .body("stats.queued", equalTo(1))
                .body("stats.done", equalTo(1))
                .body("stats.failed", equalTo(1))
                .body("stats.totalCostUsd", equalTo(2.75f));
    }

    @Test
    void listsSumEachAgentsTokensOnceAMessageAndItsPhaseCostsFromItsLog() {
        AgentSession coding = ApiTestData.agent(issue.id, AgentStatus.coding, 0, T0);
        coding.costUsd = null;
        String usage = "\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":7}";
        // one message printed as two lines (a text block and a tool call), each with the message's usage
        coding.outputLog.add(new OutputEntry(T0, "verifying", "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]," + usage + "}}"));
        coding.outputLog.add(new OutputEntry(T0, "verifying", "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\","
                + "\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"Bash\",\"input\":{}}]," + usage + "}}"));
        coding.outputLog.add(new OutputEntry(T0, "verifying", "{\"type\":\"result\",\"subtype\":\"success\","
                + "\"total_cost_usd\":0.25," + usage + "}"));
        coding.outputLog.add(new OutputEntry(T0, "planning", "{\"type\":\"assistant\",\"message\":{\"id\":\"m2\","
                + "\"content\":[]," + usage + "}}"));
        coding.outputLog.add(new OutputEntry(T0, "planning", "{\"type\":\"result\",\"total_cost_usd\":0.5,\"usa"));
        AgentSession done = ApiTestData.agent(new ObjectId(), AgentStatus.done, 2.0, T0);
        done.outputLog.add(coding.outputLog.get(2));
        documents.agentSessions().insertMany(List.of(coding, done));

        given().when().get("/api/agents").then().statusCode(200)
                .body("active[0].usage.inputTokens", equalTo(30))
                .body("active[0].usage.outputTokens", equalTo(14))
                .body("active[0].usage.costUsd", equalTo(0.25f))
                .body("active[0].issueTitle", equalTo(issue.title))
                .body("active[0].outputLog", org.hamcrest.Matchers.nullValue());
        given().when().get("/api/agents/finished").then().statusCode(200)
                .body("items[0].usage.costUsd", equalTo(2.0f));
        given().when().get("/api/agents/" + coding.id.toHexString() + "?logLimit=1").then().statusCode(200)
                .body("issueTitle", equalTo(issue.title));
    }

    @Test
    void finishedAgentsArePagedNewestFirstWithoutLogsAndWithoutLiveOnes() {
        List<AgentSession> ended = new ArrayList<>();
        AgentStatus[] kinds = {AgentStatus.done, AgentStatus.failed, AgentStatus.false_alarm};
        for (int i = 0; i < 5; i++) {
            AgentSession agent = ApiTestData.agent(new ObjectId(), kinds[i % 3], i, T0.plusSeconds(i / 2));
            agent.outputLog.add(new OutputEntry(T0, "coding", "line"));
            ended.add(agent);
        }
        AgentSession coding = ApiTestData.agent(issue.id, AgentStatus.coding, 0, T0.plusSeconds(60));
        AgentSession queued = ApiTestData.agent(new ObjectId(), AgentStatus.queued, 0, T0.plusSeconds(61));
        documents.agentSessions().insertMany(ended);
        documents.agentSessions().insertMany(List.of(coding, queued));
        // ties on createdAt (two agents a second) are broken by _id, newest first
        List<String> expected = ended.stream()
                .sorted(java.util.Comparator.comparing((AgentSession a) -> a.createdAt).thenComparing(a -> a.id)
                        .reversed())
                .map(a -> a.id.toHexString()).toList();

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = given().queryParam("limit", 2).queryParam("cursor", cursor == null ? "" : cursor)
                    .when().get("/api/agents/finished").then().statusCode(200)
                    .body("items.outputLog", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.nullValue()))
                    .extract().jsonPath();
            seen.addAll(page.getList("items._id", String.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null);

        assertThat(seen).containsExactlyElementsOf(expected);
        given().queryParam("cursor", "nonsense!").when().get("/api/agents/finished").then().statusCode(400)
                .body("field", equalTo("cursor"));
    }

    @Test
    void detailsPageALongOutputLog() {
        AgentSession agent = ApiTestData.agent(issue.id, AgentStatus.coding, 0, T0);
        for (int i = 0; i < 1200; i++) {
            agent.outputLog.add(new OutputEntry(T0.plusMillis(i), "coding", "line " + i));
        }
        documents.agentSessions().insertOne(agent);
        given().queryParam("logOffset", 1000).queryParam("logLimit", 150)
                .when().get("/api/agents/" + agent.id.toHexString())
                .then().statusCode(200)
                .body("status", equalTo("coding"))
                .body("outputLogTotal", equalTo(1200))
                .body("outputLogOffset", equalTo(1000))
                .body("outputLog", hasSize(150))
                .body("outputLog[0].content", equalTo("line 1000"));
        given().when().get("/api/agents/" + agent.id.toHexString())
                .then().statusCode(200).body("outputLog", hasSize(500));
        for (String[] bad : new String[][] {{"logOffset", "-1"}, {"logOffset", "first"}, {"logLimit", "0"},
                {"logLimit", "5001"}, {"logLimit", "all"}}) {
            given().queryParam(bad[0], bad[1]).when().get("/api/agents/" + agent.id.toHexString())
                    .then().statusCode(400).body("field", equalTo(bad[0]));
        }
        given().when().get("/api/agents/0123456789abcdef01234567").then().statusCode(404);
    }

    @Test
    void stopWritesTheRequestForTheRunnerAndEndsAQueuedAgentAtOnce() {
        AgentSession coding = ApiTestData.agent(issue.id, AgentStatus.coding, 0, T0);
        AgentSession queued = ApiTestData.agent(new ObjectId(), AgentStatus.queued, 0, T0);
        AgentSession done = ApiTestData.agent(new ObjectId(), AgentStatus.done, 0, T0);
        documents.agentSessions().insertMany(java.util.List.of(coding, queued, done));

        given().header("Authorization", ApiTestData.ADMIN).when().post("/api/agents/" + coding.id + "/stop")
                .then().statusCode(202).body("stopRequested", equalTo(true)).body("status", equalTo("coding"));
        given().header("Authorization", ApiTestData.ADMIN).when().post("/api/agents/" + queued.id + "/stop")
                .then().statusCode(202).body("status", equalTo("failed"));
        given().header("Authorization", ApiTestData.ADMIN).when().post("/api/agents/" + done.id + "/stop")
                .then().statusCode(409);
        given().header("Authorization", ApiTestData.ADMIN).when().post("/api/agents/0123456789abcdef01234567/stop")
                .then().statusCode(404);
        given().when().post("/api/agents/" + coding.id + "/stop").then().statusCode(401);
        assertThat(documents.agentSessions().find(new Document("_id", coding.id)).first().stopRequested).isTrue();
    }
}
