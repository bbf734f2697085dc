package io.truffles.api.live;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Updates;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.api.ApiTestData;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AgentStatusChange;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.mongo.Documents;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class AgentSocketTest {
    private static final List<AgentStatus> CHANGES = List.of(AgentStatus.starting, AgentStatus.verifying,
            AgentStatus.planning, AgentStatus.coding, AgentStatus.reviewing, AgentStatus.coding,
            AgentStatus.reviewing, AgentStatus.done);

    @TestHTTPResource("/ws/agents")
    URI endpoint;

    @Inject
    Documents documents;

    @Inject
    MeterRegistry metrics;

    @Test
    void fiftyClientsEachReceiveEveryOutputEntryAndStatusChangeInTheOrderWrittenExactlyOnce() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                clients.add(WsClient.connect(http, WsClient.wsUri(endpoint), true));
            }
            awaitSnapshots(clients);

            AgentSession agent = ApiTestData.agent(new ObjectId(), AgentStatus.queued, 0, Instant.now());
            agent.statusHistory = new ArrayList<>(List.of(new AgentStatusChange(AgentStatus.queued, Instant.now())));
            documents.agentSessions().insertOne(agent);
            String agentId = agent.id.toHexString();
            // the order written, as each client must see it: a status says how many entries came before it
            List<String> written = new ArrayList<>(List.of("status queued after 0"));
            AgentStatus current = AgentStatus.queued;
            int entry = 0;
            // written as fast as the server takes them, as the runner does (one clock, each entry tagged with the
            // status it was written under): many entries and changes fall between two reads of the feed, and it
            // must still put every change between the right two entries
            for (AgentStatus status : CHANGES) {
                for (int i = 0; i < 125; i++, entry++) {
                    documents.agentSessions().updateOne(eq("_id", agent.id), Updates.combine(
                            Updates.push("outputLog", new OutputEntry(Instant.now(), current.name(), "line " + entry)),
                            Updates.set("updatedAt", Instant.now())));
                    written.add("output " + entry + " line " + entry);
                }
                documents.agentSessions().updateOne(eq("_id", agent.id), AgentStatusChange.to(status, Instant.now()));
                written.add("status " + status + " after " + entry);
                current = status;
            }

            new FeedWait(metrics).until(Duration.ofSeconds(90), clients, () -> assertThat(clients).allSatisfy(
                    client -> assertThat(client.messages("output", agentId).size() >= 1000
                            && client.messages("status", agentId).size() >= 9).isTrue()));
            for (WsClient client : clients) {
                assertThat(client.messagesOf(agentId)).extracting(AgentSocketTest::describe)
                        .containsExactlyElementsOf(written);
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    private static String describe(JsonNode message) {
        return message.path("type").asText().equals("status")
                ? "status " + message.path("status").asText() + " after " + message.path("outputCount").asInt()
                : message.path("type").asText() + " " + message.path("seq").asInt() + " "
                        + message.path("content").asText();
    }

    @Test
    void eightStatusChangesWrittenBetweenTwoReadsAllReachEveryClientInOrder() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                clients.add(WsClient.connect(http, WsClient.wsUri(endpoint), true));
            }
            awaitSnapshots(clients);
            AgentSession agent = ApiTestData.agent(new ObjectId(), AgentStatus.queued, 0, Instant.now());
            agent.statusHistory = new ArrayList<>(List.of(new AgentStatusChange(AgentStatus.queued, Instant.now())));
            // all 8 changes in one update: no read of the feed can fall between them, so only the history shows them
            List<AgentStatusChange> changes = CHANGES.stream()
                    .map(status -> new AgentStatusChange(status, Instant.now())).toList();
            documents.agentSessions().insertOne(agent);
            documents.agentSessions().updateOne(eq("_id", agent.id), Updates.combine(
                    Updates.set("status", AgentStatus.done.name()), Updates.pushEach("statusHistory", changes),
                    Updates.set("updatedAt", Instant.now())));
            String agentId = agent.id.toHexString();
            List<String> statuses = new ArrayList<>(List.of("queued"));
            CHANGES.forEach(status -> statuses.add(status.name()));
            // asserted while waiting, so a client that stays short says what it did get
            new FeedWait(metrics).until(Duration.ofSeconds(30), clients, () -> assertThat(clients).allSatisfy(
                    client -> assertThat(client.messages("status", agentId)).as("statuses of %s; all it got: %s",
                            agentId, summary(client)).hasSizeGreaterThanOrEqualTo(statuses.size())));
            for (WsClient client : clients) {
                assertThat(client.messages("status", agentId)).extracting(message -> message.path("status").asText())
                        .containsExactlyElementsOf(statuses);
                assertThat(client.messages("status", agentId)).extracting(m -> m.path("previousStatus").asText(null))
                        .containsExactlyElementsOf(concat(null, statuses.subList(0, statuses.size() - 1)));
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    /** Each client holds its snapshot: it is subscribed, and what is written from now on reaches it as news. */
    private void awaitSnapshots(List<WsClient> clients) {
        new FeedWait(metrics).until(Duration.ofSeconds(30), clients, () -> assertThat(clients)
                .allSatisfy(client -> assertThat(client.messages("snapshot", null)).hasSize(1)));
    }

    private static List<String> summary(WsClient client) {
        return client.received.stream().map(WsClient.Received::message).map(message -> message.path("type").asText()
                + " " + message.path("agentId").asText() + " " + message.path("status").asText()).toList();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    @Test
    void anAgentWrittenWithoutALogIsStillFollowedAndSoAreTheOthers() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        WsClient client = WsClient.connect(http, WsClient.wsUri(endpoint), true);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !client.messages("snapshot", null).isEmpty());
            // as a writer that upserts a queued agent may leave it: no outputLog field at all
            ObjectId bare = new ObjectId();
            documents.database().getCollection("agentSessions").insertOne(new org.bson.Document("_id", bare)
                    .append("issueId", new ObjectId()).append("status", "queued")
                    .append("createdAt", java.util.Date.from(Instant.now()))
                    .append("updatedAt", java.util.Date.from(Instant.now())));
            AgentSession logged = ApiTestData.agent(new ObjectId(), AgentStatus.coding, 0, Instant.now());
            logged.outputLog.add(new OutputEntry(Instant.now(), "coding", "still flowing"));
            documents.agentSessions().insertOne(logged);

            await().atMost(Duration.ofSeconds(30)).until(() -> !client.messages("status", bare.toHexString()).isEmpty()
                    && !client.messages("output", logged.id.toHexString()).isEmpty());
            assertThat(client.messages("status", bare.toHexString()).get(0).path("status").asText())
                    .isEqualTo("queued");
            assertThat(client.messages("output", logged.id.toHexString()).get(0).path("content").asText())
                    .isEqualTo("still flowing");
        } finally {
            client.close();
        }
    }

    @Test
    void aClientConnectingLateGetsASnapshotOfLiveAgentsAndContinuesFromIt() throws Exception {
        AgentSession agent = ApiTestData.agent(new ObjectId(), AgentStatus.coding, 0, Instant.now());
        agent.outputLog.add(new OutputEntry(Instant.now(), "coding", "before connect"));
        HttpClient http = HttpClient.newHttpClient();
        WsClient watcher = WsClient.connect(http, WsClient.wsUri(endpoint), true);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !watcher.messages("snapshot", null).isEmpty());
            documents.agentSessions().insertOne(agent);
            // wait until the feed has the agent, then connect the late client
            await().atMost(Duration.ofSeconds(30)).until(() -> !watcher.messages("output", agent.id.toHexString())
                    .isEmpty());
            WsClient late = WsClient.connect(http, WsClient.wsUri(endpoint), true);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> !late.messages("snapshot", null).isEmpty());
                JsonNode snapshot = late.messages("snapshot", null).get(0);
                JsonNode mine = null;
                for (JsonNode active : snapshot.path("active")) {
                    if (active.path("_id").asText().equals(agent.id.toHexString())) {
                        mine = active;
                    }
                }
                assertThat(mine).isNotNull();
                assertThat(mine.path("outputCount").asInt()).isEqualTo(1);
                assertThat(mine.path("recentOutput").get(0).path("content").asText()).isEqualTo("before connect");

                documents.agentSessions().updateOne(eq("_id", agent.id), Updates.combine(
                        Updates.push("outputLog", new OutputEntry(Instant.now(), "coding", "after connect")),
                        Updates.set("updatedAt", Instant.now())));
                await().atMost(Duration.ofSeconds(30)).until(() -> !late.messages("output", agent.id.toHexString())
                        .isEmpty());
                assertThat(late.messages("output", agent.id.toHexString()))
                        .extracting(message -> message.path("seq").asInt()).containsExactly(1);
            } finally {
                late.close();
            }
        } finally {
            watcher.close();
        }
    }

    @Test
    void anAgentWhoseDocumentIsDeletedIsNoLongerInANewClientsSnapshot() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        WsClient watcher = WsClient.connect(http, WsClient.wsUri(endpoint), true);
        try {
            awaitSnapshots(List.of(watcher));
            AgentSession agent = ApiTestData.agent(new ObjectId(), AgentStatus.coding, 0, Instant.now());
            agent.outputLog.add(new OutputEntry(Instant.now(), "coding", "about to be deleted"));
            documents.agentSessions().insertOne(agent);
            String agentId = agent.id.toHexString();
            await().atMost(Duration.ofSeconds(30)).until(() -> !watcher.messages("output", agentId).isEmpty());
            assertThat(snapshotIds(http)).contains(agentId);

            // an operator deleting a document by hand: the feed stops following it instead of showing it live forever
            documents.agentSessions().deleteOne(eq("_id", agent.id));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(snapshotIds(http)).doesNotContain(agentId));
        } finally {
            watcher.close();
        }
    }

    /** The agents a client connecting now is shown, working or queued. */
    private List<String> snapshotIds(HttpClient http) throws Exception {
        WsClient client = WsClient.connect(http, WsClient.wsUri(endpoint), true);
        try {
            awaitSnapshots(List.of(client));
            JsonNode snapshot = client.messages("snapshot", null).get(0);
            List<String> ids = new ArrayList<>();
            for (String list : List.of("active", "queued")) {
                snapshot.path(list).forEach(agent -> ids.add(agent.path("_id").asText()));
            }
            return ids;
        } finally {
            client.close();
        }
    }

    @Test
    void aClientThatFallsBehindIsDroppedWithACloseReasonWhileOthersGetEverything() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        WsClient slow = WsClient.connect(http, WsClient.wsUri(endpoint), false);
        WsClient fast = WsClient.connect(http, WsClient.wsUri(endpoint), true);
        try {
            AgentSession agent = ApiTestData.agent(new ObjectId(), AgentStatus.coding, 0, Instant.now());
            documents.agentSessions().insertOne(agent);
            String big = "x".repeat(4000);
            List<OutputEntry> batch = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                batch.add(new OutputEntry(Instant.now(), "coding", i + " " + big));
                if (batch.size() == 100) {
                    documents.agentSessions().updateOne(eq("_id", agent.id), Updates.combine(
                            Updates.pushEach("outputLog", batch), Updates.set("updatedAt", Instant.now())));
                    batch.clear();
                }
            }
            // 12 MB through one document: minutes on a starved machine, 3 s on a quiet one
            await().atMost(Duration.ofSeconds(180)).until(() -> fast.messages("output", agent.id.toHexString())
                    .size() == 3000);
            slow.startReading();
            await().atMost(Duration.ofSeconds(60)).until(() -> slow.closeCode != null);
            assertThat(slow.closeCode).isEqualTo(1008);
            assertThat(slow.closeReason).contains("Too slow");
            assertThat(slow.messages("output", agent.id.toHexString()).size()).isLessThan(3000);
            assertThat(fast.closeCode).isNull();
        } finally {
            slow.close();
            fast.close();
        }
    }
}
