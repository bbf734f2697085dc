package io.truffles.api.bench;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.truffles.api.ApiTestData;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.embedded.EmbeddedMongo;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * What the embedded server itself costs the api, without the api: the sessions list query (newest 50 of 20,000) and
 * one change-stream poll, on the product's embedded default (H2 on a file), the tests' H2 in memory, and
 * mongo-java-server's plain memory backend. Not part of the build (the name matches no test pattern); run with
 * {@code ./mvnw -B -q -pl api -am verify -Dtest=EmbeddedBackendBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -DskipITs}.
 */
class EmbeddedBackendBenchmark {
    private static final int SESSIONS = Integer.getInteger("bench.sessions", 20_000);
    private static final int ISSUES = Integer.getInteger("bench.issues", 5_000);
    private static final int REQUESTS = Integer.getInteger("bench.requests", 60);


    @Test
    void benchmark() throws Exception {
        System.out.printf("%nEMBEDDED BACKEND BENCHMARK (2 shared cores, other engineers' builds running: figures "
                + "taken under contention)%n");
        Path dir = Files.createTempDirectory("backend-bench");
        try (EmbeddedMongo file = EmbeddedMongo.onFile(dir.resolve("truffles.mv.db"), 0)) {
            measure("H2 file (embedded default)", file.uri("truffles"));
        }
        try (EmbeddedMongo memory = EmbeddedMongo.inMemory()) {
            measure("H2 in memory (tests)", memory.uri("truffles"));
        }
        MemoryBackend backend = new MemoryBackend();
        backend.version(EmbeddedMongo.WIRE_VERSION_8);
        MongoServer server = new MongoServer(backend);
        server.enableOplog();
        server.bind("127.0.0.1", 0);
        try {
            measure("memory backend", "mongodb://127.0.0.1:" + server.getLocalAddress().getPort() + "/truffles");
        } finally {
            server.shutdown();
        }
    }

    private void measure(String name, String uri) {
        try (MongoClient client = MongoConnections.connect(uri)) {
            Documents documents = MongoConnections.documents(client, uri);
            load(documents);
            long[] list = new long[REQUESTS];
            for (int i = -5; i < REQUESTS; i++) {
                long start = System.nanoTime();
                documents.sessions().find()
                        .projection(Projections.exclude("consoleErrors", "networkFailures", "metadata", "lease",
                                "videoTimeline"))
                        .sort(Sorts.descending("createdAt", "_id")).limit(50).into(new ArrayList<>());
                if (i >= 0) {
                    list[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(list);
            // one getMore of a change stream with nothing new: what each CollectionWatcher asks every 50 ms
            long[] poll = new long[20];
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = documents.database()
                    .getCollection("agentSessions").watch().maxAwaitTime(1, TimeUnit.MILLISECONDS).cursor()) {
                stream.tryNext();
                for (int i = 0; i < poll.length; i++) {
                    long start = System.nanoTime();
                    stream.tryNext();
                    poll[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(poll);
            System.out.printf("%-28s sessions list (newest 50 of %d): p50 %7.1f ms  p99 %7.1f ms;  "
                    + "empty change-stream poll with %d oplog entries: p50 %7.1f ms%n", name, SESSIONS,
                    list[list.length / 2] / 1e6, list[(int) Math.ceil(0.99 * list.length) - 1] / 1e6,
                    SESSIONS + ISSUES, poll[poll.length / 2] / 1e6);
        }
    }

    private static void load(Documents documents) {
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
        List<Issue> issues = new ArrayList<>();
        for (int i = 0; i < ISSUES; i++) {
            issues.add(ApiTestData.issue(new ObjectId(), i % 2 == 0 ? Severity.red : Severity.yellow,
                    IssueStatus.values()[i % IssueStatus.values().length], i % 97, t0.plusSeconds(i)));
            if (issues.size() == 1000) {
                documents.issues().insertMany(issues);
                issues.clear();
            }
        }
    }
}
