package io.truffles.api.notifications;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.truffles.api.ApiTestData;
import io.truffles.api.PackagedApi;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.embedded.EmbeddedMongo;
import io.truffles.core.embedded.EmbeddedS3;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import io.truffles.core.notifications.NotificationEvent;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the api between sending a message and marking it sent: the receiver holds the first request until the api
 * is dead, so the POST went out and the mark never happened. The restarted api sends it again once the lease runs
 * out — the receiver sees it at most twice, both times with the same {@code X-Truffles-Delivery} — and marks it sent.
 */
class SenderKilledIT {
    private static final Path LOGS = Path.of("target/sender-killed-it");
    private static final String PASSWORD = "kill-test-admin-password";
    private static final String SECRET = "whsec-kill-test-0123456789";
    /** Short, so the restarted api takes over soon; longer than connect plus request timeout, as it must be. */
    private static final String[] TIMINGS = {"-Dtruffles.notifications.lease-ttl=8S",
            "-Dtruffles.notifications.connect-timeout=2S", "-Dtruffles.notifications.request-timeout=5S",
            "-Dtruffles.notifications.poll=200MS"};

    @TempDir
    Path work;

    @Test
    void aMessageWhoseSenderDiedBeforeMarkingItIsSentAgainOnceWithTheSameKey() throws Exception {
        assertThat(PackagedApi.JAR).as("the packaged api").exists();
        Files.createDirectories(LOGS);
        int port = PackagedApi.freePort();
        CountDownLatch killed = new CountDownLatch(1);
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
                EmbeddedS3 s3 = EmbeddedS3.start(Files.createDirectories(work.resolve("s3")), 0);
                MongoClient client = MongoConnections.connect(mongo.uri("truffles"));
                LocalReceiver receiver = new LocalReceiver()) {
            Documents documents = MongoConnections.documents(client, mongo.uri("truffles"));
            receiver.beforeAnswer(() -> {
                if (receiver.received().size() == 1) {
                    try {
                        killed.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            Map<String, String> env = Map.of("PORT", Integer.toString(port), "MONGODB_URI", mongo.uri("truffles"),
                    "S3_ENDPOINT", s3.endpoint(), "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY, "ADMIN_PASSWORD", PASSWORD,
                    "TRUFFLES_ENV_FILE", work.resolve(".env").toString());

            Process first = PackagedApi.start(work, env, LOGS.resolve("api-1.log"), port, TIMINGS);
            String channel;
            try {
                channel = createChannel(port, receiver.url("/hook"));
                Issue issue = ApiTestData.issue(new ObjectId(), Severity.red, IssueStatus.queued, 2, Instant.now());
                documents.issues().insertOne(issue);
                documents.issues().updateOne(eq("_id", issue.id), Outbox.add(OutboxEntry.of(
                        NotificationEvent.ISSUE_RED, issue.id.toHexString(), Instant.now(), Map.of())));
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
            } finally {
                // SIGKILL while the receiver holds the request: sent, never marked
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                killed.countDown();
            }
            String key = receiver.received().get(0).header("X-Truffles-Delivery");
            MongoCollection<Document> deliveries = documents.database().getCollection(DeliveryQueue.COLLECTION);
            assertThat(deliveries.find(eq("_id", key + "/" + channel)).first().getString("status"))
                    .isEqualTo(DeliveryQueue.SENDING);

            Process second = PackagedApi.start(work, env, LOGS.resolve("api-2.log"), port, TIMINGS);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> DeliveryQueue.SENT.equals(
                        deliveries.find(eq("_id", key + "/" + channel)).first().getString("status")));
                assertThat(receiver.received()).hasSize(2).allSatisfy(request -> {
                    assertThat(request.header("X-Truffles-Delivery")).isEqualTo(key);
                    assertThat(request.header("X-Truffles-Signature")).isEqualTo(WebhookSignature.sign(SECRET,
                            Long.parseLong(request.header("X-Truffles-Timestamp")), request.body()));
                });
                assertThat(deliveries.find(eq("_id", key + "/" + channel)).first().getInteger("attempts"))
                        .isEqualTo(2);
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String createChannel(int port, String url) throws Exception {
        String body = "{\"type\":\"webhook\",\"url\":\"" + url + "\",\"secret\":\"" + SECRET
                + "\",\"events\":[\"issue.red\"]}";
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/notifications/channels"))
                .header("Authorization", "Bearer " + PASSWORD).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).path("_id").asText();
    }
}
