package io.truffles.api.bench;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.api.ApiTestData;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The api's benchmark, not part of the build's tests (the name matches no test pattern). Run with
 * {@code ./mvnw -B -q -pl api -am verify -Dtest=ApiBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 * Prints list-endpoint latencies over 20,000 sessions and 5,000 issues, and WebSocket fan-out to 200 clients.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class ApiBenchmark {
    private static final int SESSIONS = Integer.getInteger("bench.sessions", 20_000);
    private static final int ISSUES = Integer.getInteger("bench.issues", 5_000);
    private static final int REQUESTS = Integer.getInteger("bench.requests", 200);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 200);
    private static final int ENTRIES = Integer.getInteger("bench.entries", 2_000);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Documents documents;

    @Test
    void benchmark() throws Exception {
        System.out.printf("%nBENCHMARK (2 shared cores, other engineers' builds running: figures taken under "
                + "contention; embedded mongo-java-server ignores non-unique indexes, so list queries scan)%n");
        load();
        HttpClient http = HttpClient.newHttpClient();
        String secondPage = cursorAfterFirstPage(http, "/api/sessions?limit=50");
        for (String path : List.of("/api/sessions?limit=50", "/api/sessions?limit=50&cursor=" + secondPage,
                "/api/sessions?limit=50&status=complete", "/api/sessions?limit=50&severity=red",
                "/api/issues?limit=50", "/api/issues?limit=50&sort=recent&severity=red")) {
            latency(http, path);
        }
        fanOut(http);
    }

    private void load() {
        ApiTestData.clear(documents);
        long started = System.nanoTime();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            sessions.add(ApiTestData.session("bench-" + i, SessionStatus.values()[i % 5], t0.plusSeconds(i),
                    i % 7 == 0 ? 1 : 0, i % 3 == 0 ? 1 : 0));
            if (sessions.size() == 1000) {
                documents.sessions().insertMany(sessions);
                sessions.clear();
            }
        }
        if (!sessions.isEmpty()) {
            documents.sessions().insertMany(sessions);
        }
        List<Issue> issues = new ArrayList<>();
        for (int i = 0; i < ISSUES; i++) {
            issues.add(ApiTestData.issue(new ObjectId(), i % 2 == 0 ? Severity.red : Severity.yellow,
                    IssueStatus.values()[i % IssueStatus.values().length], i % 97, t0.plusSeconds(i)));
            if (issues.size() == 1000) {
                documents.issues().insertMany(issues);
                issues.clear();
            }
        }
        if (!issues.isEmpty()) {
            documents.issues().insertMany(issues);
        }
        System.out.printf("loaded %d sessions and %d issues in %d ms%n", SESSIONS, ISSUES,
                (System.nanoTime() - started) / 1_000_000);
    }

    private String cursorAfterFirstPage(HttpClient http, String path) throws Exception {
        String body = get(http, path);
        int at = body.indexOf("\"nextCursor\":\"");
        return body.substring(at + 14, body.indexOf('"', at + 14));
    }

    private void latency(HttpClient http, String path) throws Exception {
        for (int i = 0; i < 10; i++) {
            get(http, path);
        }
        long[] nanos = new long[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            long start = System.nanoTime();
            get(http, path);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("GET %-55s p50 %6.1f ms  p99 %6.1f ms  (%d requests)%n", path,
                percentile(nanos, 50) / 1e6, percentile(nanos, 99) / 1e6, REQUESTS);
    }

    private String get(HttpClient http, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Records, per client, when each output seq arrived. */
    private static final class Arrivals implements WebSocket.Listener {
        final long[] at = new long[ENTRIES];
        final AtomicInteger count = new AtomicInteger();
        final String agentId;
        volatile long seenAgent;
        private final StringBuilder partial = new StringBuilder();

        Arrivals(String agentId) {
            this.agentId = agentId;
        }

        @Override
        public void onOpen(WebSocket socket) {
            socket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                String message = partial.toString();
                partial.setLength(0);
                if (seenAgent == 0 && message.startsWith("{\"type\":\"status\"") && message.contains(agentId)) {
                    seenAgent = now;
                }
                if (message.startsWith("{\"type\":\"output\"") && message.contains(agentId)) {
                    int at = message.indexOf("\"seq\":") + 6;
                    int end = at;
                    while (Character.isDigit(message.charAt(end))) {
                        end++;
                    }
                    this.at[Integer.parseInt(message.substring(at, end))] = now;
                    count.incrementAndGet();
                }
            }
            return null;
        }
    }

    private void fanOut(HttpClient http) throws Exception {
        AgentSession agent = ApiTestData.agent(new ObjectId(), AgentStatus.coding, 0, Instant.now());
        String agentId = agent.id.toHexString();
        URI ws = URI.create(base.resolve("/ws/agents").toString().replaceFirst("^http", "ws"));
        List<Arrivals> clients = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Arrivals arrivals = new Arrivals(agentId);
            sockets.add(http.newWebSocketBuilder().buildAsync(ws, arrivals).get(60, TimeUnit.SECONDS));
            clients.add(arrivals);
        }
        long inserted = System.nanoTime();
        documents.agentSessions().insertOne(agent);
        // a new agent is found by the feed's next look; measured on its own, so fan-out below is steady-state
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(5))
                .until(() -> clients.stream().allMatch(client -> client.seenAgent != 0));
        long seenByAll = clients.stream().mapToLong(client -> client.seenAgent).max().orElse(0);
        System.out.printf("a new agent reached all %d clients %.1f ms after its insert%n", CLIENTS,
                (seenByAll - inserted) / 1e6);
        long[] written = new long[ENTRIES];
        long start = System.nanoTime();
        for (int i = 0; i < ENTRIES; i++) {
            documents.agentSessions().updateOne(eq("_id", agent.id), Updates.combine(
                    Updates.push("outputLog", new OutputEntry(Instant.now(), "coding", "entry " + i)),
                    Updates.set("updatedAt", Instant.now())));
            written[i] = System.nanoTime();
        }
        long writeEnd = System.nanoTime();
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> clients.stream().allMatch(client -> client.count.get() >= ENTRIES));
        long lastArrival = clients.stream().mapToLong(client -> Arrays.stream(client.at).max().orElse(0)).max()
                .orElse(0);
        long[] toLast = new long[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            long latest = 0;
            for (Arrivals client : clients) {
                latest = Math.max(latest, client.at[i]);
            }
            toLast[i] = latest - written[i];
        }
        Arrays.sort(toLast);
        System.out.printf("WebSocket fan-out to %d clients, %d entries: write->last client p50 %6.1f ms  p99 %6.1f ms"
                + "  max %6.1f ms%n", CLIENTS, ENTRIES, percentile(toLast, 50) / 1e6, percentile(toLast, 99) / 1e6,
                toLast[ENTRIES - 1] / 1e6);
        System.out.printf("entries written at %.0f/s (one $push each); delivered to all %d clients at %.0f entries/s "
                + "(%.0f messages/s)%n", ENTRIES / ((writeEnd - start) / 1e9), CLIENTS,
                ENTRIES / ((lastArrival - start) / 1e9), (double) ENTRIES * CLIENTS / ((lastArrival - start) / 1e9));
        sockets.forEach(WebSocket::abort);
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
