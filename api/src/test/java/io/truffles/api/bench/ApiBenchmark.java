package io.truffles.api.bench;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoIterable;
import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.api.ApiTestData;
import io.truffles.api.issues.IssueService;
import io.truffles.api.sessions.SessionService;
import io.truffles.api.sessions.SessionSort;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The api's benchmark, not part of the build's tests (the name matches no test pattern). Run with
 * {@code ./mvnw -B -q -pl api -am verify -Dtest=ApiBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 * Prints list-endpoint latencies over 20,000 sessions and 5,000 issues beside the same queries run alone on the
 * embedded server (the difference is the api's own part), what presigning costs, and WebSocket fan-out to 200 clients:
 * at an agent's pace, and with entries written as fast as the embedded server takes them.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class ApiBenchmark {
    private static final int SESSIONS = Integer.getInteger("bench.sessions", 20_000);
    private static final int ISSUES = Integer.getInteger("bench.issues", 5_000);
    private static final int REQUESTS = Integer.getInteger("bench.requests", 200);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 200);
    /** Entries written at an agent's pace, {@link #RATE} a second. */
    private static final int PACED = Integer.getInteger("bench.paced", 750);
    private static final int RATE = Integer.getInteger("bench.rate", 25);
    /** Entries written back to back, as fast as the embedded server takes them. */
    private static final int ENTRIES = Integer.getInteger("bench.entries", 2_000);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Documents documents;

    @Inject
    ObjectStorage storage;

    @Inject
    SessionService sessions;

    @Inject
    IssueService issues;

    @Test
    void benchmark() throws Exception {
        System.out.printf("%nBENCHMARK (2 cores shared with other engineers' builds; load average %s; embedded "
                + "mongo-java-server ignores non-unique indexes, so list queries scan)%n", loadAverage());
        load();
        presigning();
        HttpClient http = HttpClient.newHttpClient();
        SessionService.Filter all = SessionService.Filter.none();
        IssueService.Filter anyIssue = new IssueService.Filter(null, null, null);
        String secondPage = paging(http, all);
        latency(http, "/api/sessions?limit=50", () -> sessions.query(all, SessionSort.newest, null, 50));
        latency(http, "/api/sessions?limit=50&cursor=" + secondPage,
                () -> sessions.query(all, SessionSort.newest, secondPage, 50));
        latency(http, "/api/sessions?limit=50&status=complete", () -> sessions.query(
                new SessionService.Filter(SessionStatus.complete, null, null, null, null, null, null, null, null),
                SessionSort.newest, null, 50));
        latency(http, "/api/sessions?limit=50&severity=red", () -> sessions.query(
                new SessionService.Filter(null, null, Severity.red, null, null, null, null, null, null),
                SessionSort.newest, null, 50));
        latency(http, "/api/issues?limit=50", () -> issues.query(anyIssue, IssueService.Sort.occurrences, null, 50));
        latency(http, "/api/issues?limit=50&sort=recent&severity=red", () -> issues.query(
                new IssueService.Filter(null, Severity.red, null), IssueService.Sort.recent, null, 50));
        System.out.printf("load average after the lists: %s%n", loadAverage());
        fanOut(http);
        System.out.printf("load average at the end: %s%n", loadAverage());
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (Exception unreadable) {
            return "unknown";
        }
    }

    private void load() {
        ApiTestData.clear(documents);
        long started = System.nanoTime();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<Session> batch = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            batch.add(ApiTestData.session("bench-" + i, SessionStatus.values()[i % 5], t0.plusSeconds(i),
                    i % 7 == 0 ? 1 : 0, i % 3 == 0 ? 1 : 0));
            if (batch.size() == 1000 || i == SESSIONS - 1) {
                documents.sessions().insertMany(batch);
                batch.clear();
            }
        }
        List<Issue> issueBatch = new ArrayList<>();
        for (int i = 0; i < ISSUES; i++) {
            issueBatch.add(ApiTestData.issue(new ObjectId(), i % 2 == 0 ? Severity.red : Severity.yellow,
                    IssueStatus.values()[i % IssueStatus.values().length], i % 97, t0.plusSeconds(i)));
            if (issueBatch.size() == 1000 || i == ISSUES - 1) {
                documents.issues().insertMany(issueBatch);
                issueBatch.clear();
            }
        }
        System.out.printf("loaded %d sessions and %d issues in %d ms%n", SESSIONS, ISSUES,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** A list page signs one thumbnail URL per item, on every read: what that costs, alone. */
    private void presigning() {
        int count = 5_000;
        long[] nanos = new long[count];
        for (int i = -500; i < count; i++) {
            long start = System.nanoTime();
            storage.presignedGet("sessions/bench-" + i + "/thumbnail.jpg");
            if (i >= 0) {
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("presigning one URL: p50 %5.1f us  p99 %6.1f us  (%d URLs); a page of 50 signs %.1f ms at "
                + "p50%n", percentile(nanos, 50) / 1e3, percentile(nanos, 99) / 1e3, count,
                50 * percentile(nanos, 50) / 1e6);
    }

    private static String nextCursor(String body) {
        int at = body.indexOf("\"nextCursor\":\"");
        return body.substring(at + 14, body.indexOf('"', at + 14));
    }

    /**
     * A reader paging through the sessions: every page is new, so each request signs its 50 thumbnails (a signed URL
     * is reused for minutes, see PresignedUrls) — the list's cost with signing, as a first look at a page pays it.
     * Returns the cursor of the second page.
     */
    private String paging(HttpClient http, SessionService.Filter all) throws Exception {
        String cursor = null;
        String secondPage = null;
        int warmUp = 10;
        long[] nanos = new long[Math.min(REQUESTS, SESSIONS / 50 - warmUp)];
        long[] alone = new long[nanos.length];
        for (int i = -warmUp; i < nanos.length; i++) {
            String path = "/api/sessions?limit=50" + (cursor == null ? "" : "&cursor=" + cursor);
            long start = System.nanoTime();
            String body = get(http, path);
            long took = System.nanoTime() - start;
            start = System.nanoTime();
            sessions.query(all, SessionSort.newest, cursor, 50).into(new ArrayList<>());
            if (i >= 0) {
                nanos[i] = took;
                alone[i] = System.nanoTime() - start;
            }
            cursor = nextCursor(body);
            secondPage = secondPage == null ? cursor : secondPage;
        }
        Arrays.sort(nanos);
        Arrays.sort(alone);
        System.out.printf("GET %-50s p50 %6.1f ms  p99 %6.1f ms;  its query alone p50 %6.1f ms  p99 %6.1f ms  "
                + "(%d pages)%n", "/api/sessions?limit=50, page after page, signing", percentile(nanos, 50) / 1e6,
                percentile(nanos, 99) / 1e6, percentile(alone, 50) / 1e6, percentile(alone, 99) / 1e6, nanos.length);
        return secondPage;
    }

    /**
     * The endpoint over HTTP, then the query behind it alone. The warm-up signs the page's thumbnails, which the
     * measured requests then reuse: the cost of a page looked at again (the first look is {@link #paging}).
     */
    private void latency(HttpClient http, String path, Supplier<MongoIterable<?>> query) throws Exception {
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
        long[] alone = new long[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            long start = System.nanoTime();
            query.get().into(new ArrayList<>());
            alone[i] = System.nanoTime() - start;
        }
        Arrays.sort(alone);
        System.out.printf("GET %-50s p50 %6.1f ms  p99 %6.1f ms;  its query alone p50 %6.1f ms  p99 %6.1f ms  "
                + "(%d each)%n", path.length() > 50 ? path.substring(0, 47) + "..." : path, percentile(nanos, 50) / 1e6,
                percentile(nanos, 99) / 1e6, percentile(alone, 50) / 1e6, percentile(alone, 99) / 1e6, REQUESTS);
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
        final long[] at = new long[PACED + ENTRIES];
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
        long[] written = new long[PACED + ENTRIES];
        write(agent, 0, PACED, RATE, written);
        measure(clients, written, 0, PACED, "at an agent's pace, " + RATE + " entries/s");
        write(agent, PACED, ENTRIES, 0, written);
        measure(clients, written, PACED, ENTRIES, "written back to back");
        sockets.forEach(WebSocket::abort);
    }

    /** One $push per entry, as the runner writes them; {@code rate} a second, or as fast as they go for 0. */
    private void write(AgentSession agent, int from, int count, int rate, long[] written) {
        long start = System.nanoTime();
        for (int i = from; i < from + count; i++) {
            if (rate > 0) {
                long due = start + (i - from) * 1_000_000_000L / rate;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
            }
            documents.agentSessions().updateOne(eq("_id", agent.id), Updates.combine(
                    Updates.push("outputLog", new OutputEntry(Instant.now(), "coding", "entry " + i)),
                    Updates.set("updatedAt", Instant.now())));
            written[i] = System.nanoTime();
        }
    }

    private void measure(List<Arrivals> clients, long[] written, int from, int count, String how) {
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> clients.stream().allMatch(client -> client.count.get() >= from + count));
        long[] toLast = new long[count];
        long lastArrival = 0;
        for (int i = 0; i < count; i++) {
            long latest = 0;
            for (Arrivals client : clients) {
                latest = Math.max(latest, client.at[from + i]);
            }
            toLast[i] = latest - written[from + i];
            lastArrival = Math.max(lastArrival, latest);
        }
        double seconds = (written[from + count - 1] - written[from]) / 1e9;
        double delivered = (lastArrival - written[from]) / 1e9;
        Arrays.sort(toLast);
        System.out.printf("WebSocket fan-out, %d entries %s (written at %.0f/s): write->last of %d clients p50 %6.1f ms"
                + "  p99 %6.1f ms  max %6.1f ms; delivered to all at %.0f entries/s (%.0f messages/s); load average "
                + "%s%n", count, how, count / seconds, clients.size(), percentile(toLast, 50) / 1e6,
                percentile(toLast, 99) / 1e6, toLast[count - 1] / 1e6, count / delivered,
                (double) count * clients.size() / delivered, loadAverage());
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
