package io.truffles.api.live;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Updates;
import io.truffles.api.ApiTestData;
import io.truffles.api.PackagedApi;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AgentStatusChange;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.embedded.EmbeddedMongo;
import io.truffles.core.embedded.EmbeddedS3;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged api killed while agents keep working, then started again: a client that reconnects gets a fresh
 * snapshot from which, with what it had, it knows every agent's status and every log entry.
 */
class ApiRestartIT {
    private static final Path JAR = PackagedApi.JAR;
    /** The two api processes' logs, kept after the test for a failure to be read. */
    private static final Path LOGS = Path.of("target/api-restart-it");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    @Test
    void aClientReconnectingAfterAnApiRestartGetsAFreshSnapshotAndLosesNothing() throws Exception {
        assertThat(JAR).as("the packaged api").exists();
        int port = PackagedApi.freePort();
        Files.createDirectories(LOGS);
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
                EmbeddedS3 s3 = EmbeddedS3.start(Files.createDirectories(work.resolve("s3")), 0);
                MongoClient client = MongoConnections.connect(mongo.uri("truffles"))) {
            Documents documents = MongoConnections.documents(client, mongo.uri("truffles"));
            Map<String, String> env = Map.of("PORT", Integer.toString(port),
                    "MONGODB_URI", mongo.uri("truffles"), "S3_ENDPOINT", s3.endpoint(),
                    "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY,
                    "TRUFFLES_ENV_FILE", work.resolve(".env").toString());
            URI socket = URI.create("ws://127.0.0.1:" + port + "/ws/agents");

            Process first = start(env, LOGS.resolve("api-1.log"), port);
            AgentSession coding = agent(AgentStatus.coding);
            AgentSession ending = agent(AgentStatus.reviewing);
            documents.agentSessions().insertMany(List.of(coding, ending));
            String codingId = coding.id.toHexString();
            WsClient before = WsClient.connect(http, socket, true);
            // registered once its snapshot is out: every entry after it comes as an output message
            await().atMost(Duration.ofSeconds(60)).until(() -> !before.messages("snapshot", null).isEmpty());
            append(documents, coding, 0, 5);
            await().atMost(Duration.ofSeconds(60)).until(() -> before.messages("output", codingId).size() >= 5);
            assertThat(before.messages("output", codingId)).extracting(output -> output.path("seq").asInt())
                    .containsExactly(0, 1, 2, 3, 4);

            // the api dies (no shutdown at all) while the agents go on
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            append(documents, coding, 5, 45);
            documents.agentSessions().updateOne(eq("_id", coding.id),
                    AgentStatusChange.to(AgentStatus.verifying, Instant.now()));
            documents.agentSessions().updateOne(eq("_id", ending.id),
                    AgentStatusChange.to(AgentStatus.done, Instant.now()));
            AgentSession queued = agent(AgentStatus.queued);
            documents.agentSessions().insertOne(queued);

            Process second = start(env, LOGS.resolve("api-2.log"), port);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> before.closeCode != null || before.failed);
                WsClient after = WsClient.connect(http, socket, true);
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> !after.messages("snapshot", null).isEmpty());
                    JsonNode snapshot = after.messages("snapshot", null).get(0);
                    assertThat(ids(snapshot.path("active"))).containsExactly(codingId);
                    assertThat(ids(snapshot.path("queued"))).containsExactly(queued.id.toHexString());
                    JsonNode mine = snapshot.path("active").get(0);
                    assertThat(mine.path("status").asText()).isEqualTo("verifying");
                    assertThat(mine.path("outputCount").asInt()).isEqualTo(50);

                    // what the client had before the restart, plus the snapshot's recent log, is the whole log
                    TreeSet<Integer> seen = new TreeSet<>();
                    before.messages("output", codingId).forEach(output -> seen.add(output.path("seq").asInt()));
                    mine.path("recentOutput").forEach(output -> seen.add(output.path("seq").asInt()));
                    assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());

                    // and the feed goes on from the snapshot: the next entry is seq 50, the next change shows
                    append(documents, coding, 50, 1);
                    documents.agentSessions().updateOne(eq("_id", queued.id),
                            AgentStatusChange.to(AgentStatus.starting, Instant.now()));
                    await().atMost(Duration.ofSeconds(60)).until(() -> !after.messages("output", codingId).isEmpty()
                            && !after.messages("status", queued.id.toHexString()).isEmpty());
                    assertThat(after.messages("output", codingId)).extracting(output -> output.path("seq").asInt())
                            .containsExactly(50);
                    assertThat(after.messages("status", queued.id.toHexString()))
                            .extracting(status -> status.path("status").asText()).containsExactly("starting");
                } finally {
                    after.close();
                }
            } finally {
                before.close();
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static AgentSession agent(AgentStatus status) {
        AgentSession agent = ApiTestData.agent(new ObjectId(), status, 0, Instant.now());
        agent.statusHistory = new ArrayList<>(List.of(new AgentStatusChange(status, Instant.now())));
        return agent;
    }

    private static void append(Documents documents, AgentSession agent, int from, int count) {
        for (int i = from; i < from + count; i++) {
            documents.agentSessions().updateOne(eq("_id", agent.id), Updates.combine(
                    Updates.push("outputLog", new OutputEntry(Instant.now(), "coding", "line " + i)),
                    Updates.set("updatedAt", Instant.now())));
        }
    }

    private static List<String> ids(JsonNode agents) {
        List<String> ids = new ArrayList<>();
        agents.forEach(agent -> ids.add(agent.path("_id").asText()));
        return ids;
    }

    private Process start(Map<String, String> env, Path log, int port) throws IOException {
        return PackagedApi.start(work, env, log, port);
    }
}
