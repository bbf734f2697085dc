package io.truffles.api.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.truffles.api.ApiConfig;
import com.mongodb.client.MongoCollection;
import io.truffles.api.ApiTestData;
import io.truffles.api.notifications.ChannelStore;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.FalseAlarmSource;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every mutating route refuses a caller without the admin password before it writes anything. */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class MutatingRoutesAuthTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final ObjectId ISSUE = new ObjectId();
    private static final ObjectId AGENT = new ObjectId();
    private static final ObjectId ALARM = new ObjectId();
    private static final ObjectId CHANNEL = new ObjectId();
    private static final String CHANNELS = "/api/notifications/channels";
    private static final String ENV = "# Truffles\nGITHUB_TOKEN=ghp_before1234\n";
    /** Each request from its own address, so the slow-down after wrong passwords never answers in place of 401. */
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    enum Route {
        START_AGENT("POST", "/api/agents/start", "{\"issueId\":\"" + ISSUE.toHexString() + "\",\"issueTitle\":\"t\"}",
                201),
        STOP_AGENT("POST", "/api/agents/" + AGENT.toHexString() + "/stop", null, 202),
        MARK_FALSE_ALARM("POST", "/api/issues/" + ISSUE.toHexString() + "/false-alarm", "{\"reason\":\"fixture\"}",
                200),
        ADD_FALSE_ALARM("POST", "/api/false-alarms", "{\"pattern\":\"banner\"}", 201),
        DELETE_FALSE_ALARM("DELETE", "/api/false-alarms/" + ALARM.toHexString(), null, 204),
        RUNTIME_SETTINGS("POST", "/api/settings/runtime", "{\"maxConcurrentAgents\":9}", 200),
        SECRETS("POST", "/api/settings/secrets", "{\"GITHUB_TOKEN\":\"ghp_intruder5678\"}", 200),
        // (POST .../test is left out: it sends to the receiver and writes nothing, so "it writes" cannot be shown)
        ADD_CHANNEL("POST", CHANNELS, "{\"type\":\"slack\",\"url\":\"https://x.example/h\",\"events\":[\"issue.red\"]}",
                201),
        CHANGE_CHANNEL("PATCH", CHANNELS + "/" + CHANNEL.toHexString(), "{\"quiet\":false}", 200),
        RESUME_CHANNEL("POST", CHANNELS + "/" + CHANNEL.toHexString() + "/resume", null, 200),
        DELETE_CHANNEL("DELETE", CHANNELS + "/" + CHANNEL.toHexString(), null, 204);

        final String method;
        final String path;
        final String body;
        final int allowed;

        Route(String method, String path, String body, int allowed) {
            this.method = method;
            this.path = path;
            this.body = body;
            this.allowed = allowed;
        }

        io.restassured.response.Response send(RequestSpecification request) {
            int address = ADDRESSES.incrementAndGet();
            request.header("X-Forwarded-For", "10.61." + address / 250 + "." + address % 250);
            if (body != null) {
                request.contentType("application/json").body(body);
            }
            return request.when().request(method, path);
        }
    }

    @Inject
    Documents documents;

    @Inject
    ApiConfig config;

    private Path env;

    @BeforeEach
    void load() throws Exception {
        ApiTestData.clear(documents);
        Issue issue = ApiTestData.issue(new ObjectId(), Severity.red, IssueStatus.queued, 1, T0);
        issue.id = ISSUE;
        documents.issues().insertOne(issue);
        // the agent to stop works on another issue, so starting one for ISSUE is allowed
        AgentSession agent = ApiTestData.agent(new ObjectId(), AgentStatus.coding, 0, T0);
        agent.id = AGENT;
        documents.agentSessions().insertOne(agent);
        FalseAlarm alarm = new FalseAlarm();
        alarm.id = ALARM;
        alarm.pattern = "404 on /favicon.ico";
        alarm.source = FalseAlarmSource.manual;
        alarm.createdAt = T0;
        documents.falseAlarms().insertOne(alarm);
        MongoCollection<Document> channels = documents.database().getCollection(ChannelStore.COLLECTION);
        channels.deleteMany(new Document());
        channels.insertOne(new Document("_id", CHANNEL).append("type", "slack").append("name", "ops")
                .append("url", "https://x.example/hook").append("events", List.of("pr.merged")).append("quiet", true)
                .append("paused", true).append("pausedReason", "fixture").append("createdAt", T0));
        env = config.envFile();
        Files.createDirectories(env.toAbsolutePath().getParent());
        Files.writeString(env, ENV);
    }

    /** The fixture's channel takes no event the background sender would find; it goes with the test all the same. */
    @AfterEach
    void removeChannels() {
        documents.database().getCollection(ChannelStore.COLLECTION).deleteMany(new Document());
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void withoutOrWithAWrongTokenTheRouteAnswers401AndWritesNothing(Route route) throws Exception {
        String needed = "This action needs the admin password: send 'Authorization: Bearer <ADMIN_PASSWORD>'";
        String wrong = "Wrong admin password";
        Map<String, List<Document>> before = ApiTestData.everything(documents);
        // header (null: none) -> the error it gets; one character short is as wrong as any other guess
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put(null, needed);
        refusals.put("test-admin-password-1234", needed);
        refusals.put("Bearer wrong-password", wrong);
        refusals.put(ApiTestData.ADMIN.substring(0, ApiTestData.ADMIN.length() - 1), wrong);
        refusals.forEach((header, error) -> route
                .send(header == null ? given() : given().header("Authorization", header))
                .then().statusCode(401).header("WWW-Authenticate", "Bearer").body("error", equalTo(error)));
        assertThat(ApiTestData.everything(documents)).isEqualTo(before);
        assertThat(Files.readString(env)).isEqualTo(ENV);
    }

    /** The control: with the password the same request does write, so "nothing written" above means something. */
    @ParameterizedTest
    @EnumSource(Route.class)
    void withTheTokenTheSameRequestWrites(Route route) throws Exception {
        Map<String, List<Document>> before = ApiTestData.everything(documents);
        route.send(given().header("Authorization", ApiTestData.ADMIN)).then().statusCode(route.allowed);
        boolean documentsChanged = !ApiTestData.everything(documents).equals(before);
        boolean envChanged = !Files.readString(env).equals(ENV);
        assertThat(documentsChanged || envChanged).isTrue();
    }
}
