package io.truffles.api.notifications;

import static com.mongodb.client.model.Filters.eq;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.truffles.api.ApiTestData;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.notifications.NotificationEvent;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outbox entries to a real receiver on 127.0.0.1, through the relay and the sender running in the api: the webhook's
 * format and signature, retries, 4xx, Retry-After, pausing and resuming, the quiet rule, and the relay's idempotency.
 * (Test timings: back-off 100-400 ms, pause after 3 failures, application.properties' %test lines.)
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class NotificationDeliveryTest {
    private static final String SECRET = "whsec-test-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Documents documents;

    @Inject
    NotificationRelay relay;

    @Inject
    ObjectMapper json;

    private LocalReceiver receiver;

    @BeforeEach
    void clean() throws IOException {
        ApiTestData.clear(documents);
        for (String name : List.of(ChannelStore.COLLECTION, NotificationRelay.COLLECTION, DeliveryQueue.COLLECTION,
                QuietRule.COLLECTION)) {
            documents.database().getCollection(name).deleteMany(new Document());
        }
        receiver = new LocalReceiver();
    }

    /** Nothing of these tests stays for the background sender to work on while other test classes run. */
    @AfterEach
    void stop() {
        receiver.close();
        for (String name : List.of(ChannelStore.COLLECTION, NotificationRelay.COLLECTION, DeliveryQueue.COLLECTION,
                QuietRule.COLLECTION)) {
            documents.database().getCollection(name).deleteMany(new Document());
        }
    }

    @Test
    void aWebhookGetsTheIssueSignedOverTimestampAndBodyWithTheKeyAsHeaderAndInTheBody() throws Exception {
        String channel = channel("webhook", SECRET, "issue.red");
        Issue issue = issueWith(NotificationEvent.ISSUE_RED, Map.of("severity", "red"));
        String key = "issue.red:" + issue.id.toHexString();

        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        LocalReceiver.Received got = receiver.received().get(0);
        assertThat(got.header("X-Truffles-Event")).isEqualTo("issue.red");
        assertThat(got.header("X-Truffles-Delivery")).isEqualTo(key);
        long timestamp = Long.parseLong(got.header("X-Truffles-Timestamp"));
        assertThat(timestamp).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 1);
        assertThat(got.header("X-Truffles-Signature"))
                .isEqualTo("sha256=" + opensslHmac(SECRET, timestamp + "." + got.text()));

        JsonNode body = json.readTree(got.body());
        assertThat(body.path("event").asText()).isEqualTo("issue.red");
        assertThat(body.path("delivery").asText()).isEqualTo(key);
        assertThat(body.path("timestamp").asLong()).isEqualTo(timestamp);
        JsonNode subject = body.path("issue");
        assertThat(subject.path("_id").asText()).isEqualTo(issue.id.toHexString());
        assertThat(subject.path("title").asText()).isEqualTo(issue.title);
        assertThat(subject.path("severity").asText()).isEqualTo("red");
        assertThat(subject.path("usersAffected").asInt()).isEqualTo(issue.userCount);
        assertThat(subject.path("url").asText()).isEqualTo("http://localhost/issues/" + issue.id.toHexString());
        assertThat(subject.path("sessionUrl").asText())
                .isEqualTo("http://localhost/sessions/" + issue.sessionId.toHexString() + "?t=12");

        await().atMost(WAIT).until(() -> "sent".equals(delivery(key, channel).getString("status")));
        given().when().get("/api/notifications").then().statusCode(200)
                .body("[0]._id", org.hamcrest.Matchers.equalTo(key))
                .body("[0].deliveries[0].status", org.hamcrest.Matchers.equalTo("sent"));
        given().when().get("/api/notifications/channels").then().statusCode(200)
                .body("[0].lastDelivery.ok", org.hamcrest.Matchers.equalTo(true))
                .body("[0].lastDelivery.status", org.hamcrest.Matchers.equalTo(200));
    }

    @Test
    void aPullRequestAndAFailedAgentCarryTheirSubjectWithItsIssue() throws Exception {
        channel("webhook", SECRET, "pr.opened", "agent.failed");
        Issue issue = ApiTestData.issue(new ObjectId(), Severity.yellow, IssueStatus.pr_open, 2, Instant.now());
        documents.issues().insertOne(issue);
        documents.issues().updateOne(eq("_id", issue.id), Outbox.add(OutboxEntry.of(NotificationEvent.PR_OPENED,
                issue.id.toHexString(), "12", Instant.now(),
                Map.of("prNumber", 12, "prUrl", "https://github.com/o/r/pull/12"))));
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        JsonNode pr = json.readTree(receiver.received().get(0).body()).path("pullRequest");
        assertThat(pr.path("url").asText()).isEqualTo("https://github.com/o/r/pull/12");
        assertThat(pr.path("number").asInt()).isEqualTo(12);
        assertThat(pr.path("issue").path("_id").asText()).isEqualTo(issue.id.toHexString());

        // another issue, so the quiet rule lets it through
        Issue other = ApiTestData.issue(new ObjectId(), Severity.red, IssueStatus.fix_failed, 1, Instant.now());
        documents.issues().insertOne(other);
        io.truffles.core.documents.AgentSession agent = ApiTestData.agent(other.id,
                io.truffles.core.documents.AgentStatus.failed, 1.0, Instant.now());
        agent.error = "Tests failed after the fix";
        documents.agentSessions().insertOne(agent);
        documents.agentSessions().updateOne(eq("_id", agent.id), Outbox.add(OutboxEntry.of(
                NotificationEvent.AGENT_FAILED, agent.id.toHexString(), Instant.now(), Map.of())));
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        JsonNode failed = json.readTree(receiver.received().get(1).body()).path("agent");
        assertThat(failed.path("_id").asText()).isEqualTo(agent.id.toHexString());
        assertThat(failed.path("error").asText()).isEqualTo("Tests failed after the fix");
        assertThat(failed.path("url").asText()).isEqualTo("http://localhost/agents/" + agent.id.toHexString());
        assertThat(failed.path("issue").path("_id").asText()).isEqualTo(other.id.toHexString());
    }

    @Test
    void fiveHundredsAreRetriedWithBackOffUntilTheReceiverTakesIt() throws Exception {
        receiver.answer(LocalReceiver.Answer.of(500), LocalReceiver.Answer.of(503), LocalReceiver.Answer.of(200));
        String channel = channel("webhook", SECRET, "issue.red");
        Issue issue = issueWith(NotificationEvent.ISSUE_RED, Map.of());
        String key = "issue.red:" + issue.id.toHexString();

        await().atMost(WAIT).until(() -> "sent".equals(delivery(key, channel).getString("status")));
        assertThat(receiver.received()).hasSize(3)
                .allSatisfy(request -> assertThat(request.header("X-Truffles-Delivery")).isEqualTo(key));
        assertThat(delivery(key, channel).getInteger("attempts")).isEqualTo(3);
        // a success ends the run of failures: the channel is not paused
        given().when().get("/api/notifications/channels").then().body("[0].consecutiveFailures",
                org.hamcrest.Matchers.equalTo(0)).body("[0].paused", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void aFourHundredFailsAtOnceAndTheErrorIsShown() throws Exception {
        receiver.answer(new LocalReceiver.Answer(400, "invalid_payload", null));
        String channel = channel("slack", null, "issue.red");
        Issue issue = issueWith(NotificationEvent.ISSUE_RED, Map.of());
        String key = "issue.red:" + issue.id.toHexString();

        await().atMost(WAIT).until(() -> "failed".equals(delivery(key, channel).getString("status")));
        assertThat(receiver.received()).hasSize(1);
        given().when().get("/api/notifications").then()
                .body("[0].deliveries[0].status", org.hamcrest.Matchers.equalTo("failed"))
                .body("[0].deliveries[0].lastStatus", org.hamcrest.Matchers.equalTo(400))
                .body("[0].deliveries[0].lastError", org.hamcrest.Matchers.equalTo("HTTP 400: invalid_payload"));
        given().when().get("/api/notifications/channels").then()
                .body("[0].lastDelivery.error", org.hamcrest.Matchers.equalTo("HTTP 400: invalid_payload"));
    }

    @Test
    void aTooManyRequestsWaitsTheRetryAfterItWasGiven() throws Exception {
        receiver.answer(new LocalReceiver.Answer(429, "slow down", "2"), LocalReceiver.Answer.of(200));
        String channel = channel("webhook", SECRET, "issue.red");
        Issue issue = issueWith(NotificationEvent.ISSUE_RED, Map.of());
        String key = "issue.red:" + issue.id.toHexString();

        // while it waits: the 429 is shown, and does not count towards pausing (the receiver is alive)
        await().atMost(WAIT).until(() -> Integer.valueOf(429).equals(delivery(key, channel).getInteger("lastStatus")));
        given().when().get("/api/notifications/channels").then()
                .body("[0].lastDelivery.status", org.hamcrest.Matchers.equalTo(429))
                .body("[0].consecutiveFailures", org.hamcrest.Matchers.equalTo(0));
        await().atMost(WAIT).until(() -> "sent".equals(delivery(key, channel).getString("status")));
        List<LocalReceiver.Received> got = receiver.received();
        assertThat(got).hasSize(2);
        // the back-off alone would have come back within 400 ms; Retry-After asked for 2 s
        assertThat(Duration.between(got.get(0).at(), got.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aChannelThatKeepsFailingIsPausedWithItsMessagesKeptAndResumingSendsThem() throws Exception {
        receiver.answer(LocalReceiver.Answer.of(502));
        String channel = channel("webhook", SECRET, "issue.red");
        Issue issue = issueWith(NotificationEvent.ISSUE_RED, Map.of());
        String key = "issue.red:" + issue.id.toHexString();

        await().atMost(WAIT).until(() -> given().when().get("/api/notifications/channels").then().extract()
                .path("[0].paused").equals(true));
        given().when().get("/api/notifications/channels").then()
                .body("[0].consecutiveFailures", org.hamcrest.Matchers.equalTo(3))
                .body("[0].pausedReason", org.hamcrest.Matchers.containsString("3 failed attempts in a row"))
                .body("[0].pausedReason", org.hamcrest.Matchers.containsString("HTTP 502"));
        given().when().get("/api/notifications").then()
                .body("[0].deliveries[0].status", org.hamcrest.Matchers.equalTo("paused"));
        assertThat(receiver.received()).hasSize(3);

        receiver.answer(LocalReceiver.Answer.of(200));
        given().header("Authorization", ApiTestData.ADMIN).when()
                .post("/api/notifications/channels/" + channel + "/resume").then().statusCode(200)
                .body("paused", org.hamcrest.Matchers.equalTo(false));
        await().atMost(WAIT).until(() -> "sent".equals(delivery(key, channel).getString("status")));
        assertThat(receiver.received()).hasSize(4);
    }

    @Test
    void aSecondMessageAboutTheSameProblemWithinTheHourIsQuietedAndShownAsSuchButItsPullRequestGoesOut()
            throws Exception {
        String channel = channel("webhook", SECRET, "issue.red", "issue.users", "pr.opened");
        Issue issue = issueWith(NotificationEvent.ISSUE_RED, Map.of());
        String subject = issue.id.toHexString();
        String red = "issue.red:" + subject;
        await().atMost(WAIT).until(() -> "sent".equals(delivery(red, channel).getString("status")));

        String users = "issue.users:" + subject + ":10";
        documents.issues().updateOne(eq("_id", issue.id), Outbox.add(OutboxEntry.of(NotificationEvent.ISSUE_USERS,
                subject, "10", Instant.now(), Map.of("threshold", 10, "users", 10))));
        await().atMost(WAIT).until(() -> "quieted".equals(delivery(users, channel).getString("status")));
        assertThat(delivery(users, channel).getString("quietedBy")).isEqualTo(red + "/" + channel);
        given().when().get("/api/notifications").then()
                .body("find { it._id == '" + users + "' }.deliveries[0].status",
                        org.hamcrest.Matchers.equalTo("quieted"));

        String pr = "pr.opened:" + subject + ":7";
        documents.issues().updateOne(eq("_id", issue.id), Outbox.add(OutboxEntry.of(NotificationEvent.PR_OPENED,
                subject, "7", Instant.now(), Map.of("prNumber", 7, "prUrl", "https://github.com/o/r/pull/7"))));
        await().atMost(WAIT).until(() -> "sent".equals(delivery(pr, channel).getString("status")));
        assertThat(receiver.received()).hasSize(2);
    }

    @Test
    void aChannelWithQuietOffGetsTheSecondNewsOfAProblemWithinTheHour() throws Exception {
        String loud = channel("webhook", SECRET, "issue.users");
        given().header("Authorization", ApiTestData.ADMIN).contentType(ContentType.JSON).body(Map.of("quiet", false))
                .when().patch("/api/notifications/channels/" + loud).then().statusCode(200);
        Issue issue = issueWith(NotificationEvent.ISSUE_USERS, Map.of("threshold", 10, "users", 10));
        String subject = issue.id.toHexString();
        String ten = "issue.users:" + subject;
        await().atMost(WAIT).until(() -> "sent".equals(delivery(ten, loud).getString("status")));

        String hundred = "issue.users:" + subject + ":100";
        documents.issues().updateOne(eq("_id", issue.id), Outbox.add(OutboxEntry.of(NotificationEvent.ISSUE_USERS,
                subject, "100", Instant.now(), Map.of("threshold", 100, "users", 100))));
        await().atMost(WAIT).until(() -> "sent".equals(delivery(hundred, loud).getString("status")));
        assertThat(receiver.received()).extracting(r -> r.header("X-Truffles-Delivery"))
                .containsExactly(ten, hundred);
        assertThat(documents.database().getCollection(QuietRule.COLLECTION).countDocuments()).isZero();
    }

    @Test
    void relayingOneEntryTwiceMakesOneNotificationAndOneDeliveryPerChannel() throws Exception {
        String first = channel("webhook", SECRET, "issue.users");
        String second = channel("slack", null, "issue.users", "issue.red");
        channel("webhook", SECRET, "pr.merged");
        Issue issue = ApiTestData.issue(new ObjectId(), Severity.red, IssueStatus.queued, 3, Instant.now());
        documents.issues().insertOne(issue);
        OutboxEntry entry = OutboxEntry.of(NotificationEvent.ISSUE_USERS, issue.id.toHexString(), "10",
                Instant.now(), Map.of("threshold", 10));

        // a crash after the notification was written but before the entry was removed: the entry is relayed again
        documents.issues().updateOne(eq("_id", issue.id), Outbox.add(entry));
        relay.relayPending();
        documents.issues().updateOne(eq("_id", issue.id), Outbox.add(entry));
        relay.relayPending();
        relay.relayPending();

        assertThat(documents.database().getCollection(NotificationRelay.COLLECTION).countDocuments(eq("_id", entry.key())))
                .isEqualTo(1);
        assertThat(documents.database().getCollection(DeliveryQueue.COLLECTION).find(eq("notification", entry.key()))
                .map(doc -> doc.getObjectId("channelId").toHexString()).into(new java.util.ArrayList<>()))
                .containsExactlyInAnyOrder(first, second);
        assertThat(Outbox.entries(documents.database().getCollection(Issue.COLLECTION)
                .find(eq("_id", issue.id)).first())).isEmpty();
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        assertThat(receiver.received()).extracting(r -> r.header("X-Truffles-Delivery"))
                .containsOnly(entry.key(), null);
    }

    private String channel(String type, String secret, String... events) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("type", type, "url", receiver.url("/hook"),
                "events", List.of(events)));
        if (secret != null) {
            body.put("secret", secret);
        }
        return given().header("Authorization", ApiTestData.ADMIN).contentType(ContentType.JSON).body(body)
                .when().post("/api/notifications/channels").then().statusCode(201).extract().path("_id");
    }

    /** An issue whose write carried the event, as the stores write them. */
    private Issue issueWith(NotificationEvent event, Map<String, Object> facts) {
        Issue issue = ApiTestData.issue(new ObjectId(), Severity.red, IssueStatus.queued, 3, Instant.now());
        issue.userCount = 3;
        documents.issues().insertOne(issue);
        documents.issues().updateOne(eq("_id", issue.id),
                Outbox.add(OutboxEntry.of(event, issue.id.toHexString(), Instant.now(), facts)));
        return issue;
    }

    private Document delivery(String key, String channel) {
        Document delivery = documents.database().getCollection(DeliveryQueue.COLLECTION)
                .find(eq("_id", key + "/" + channel)).first();
        return delivery == null ? new Document() : delivery;
    }

    /** The signature as a second implementation computes it: openssl's HMAC, not the JDK's. */
    static String opensslHmac(String secret, String message) throws IOException, InterruptedException {
        Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", secret, "-r").start();
        openssl.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        openssl.getOutputStream().close();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.split(" ")[0].strip();
    }
}
