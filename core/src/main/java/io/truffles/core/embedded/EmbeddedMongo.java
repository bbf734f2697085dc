package io.truffles.core.embedded;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * The MongoDB wire-protocol server of the embedded default and of tests: mongo-java-server with its H2 backend (a
 * file that keeps every write it acknowledged through a kill -9, see {@link DurableH2Backend}; or memory), the oplog
 * on so change streams work, bound to 127.0.0.1.
 */
public final class EmbeddedMongo implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedMongo.class);

    /**
     * How long the oplog keeps an entry. mongo-java-server keeps every entry forever, and every change-stream poll
     * scans and sorts all of them (2.5 s a poll with 25,000 entries on the H2 file), while our watchers poll every
     * 50 ms, and an entry holds the whole update (an agent's pushed log lines too). The watchers are doorbells with a
     * re-read behind them and keep up within a poll, so an entry older than this has no reader that needs it.
     */
    static final Duration OPLOG_RETENTION = Duration.ofSeconds(15);
    private static final Duration TRIM_EVERY = Duration.ofSeconds(5);

    /**
     * The driver of Quarkus 3.33 (5.x) refuses servers below wire version 8 (MongoDB 4.2); mongo-java-server speaks
     * enough of it for Truffles' queries.
     */
    public static final MongoVersion WIRE_VERSION_8 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 2, 0);
        }

        @Override
        public int getWireVersion() {
            return 8;
        }
    };

    private final MongoServer server;
    private final AbstractMongoBackend backend;
    private final int port;
    private final MongoClient self;
    private final ScheduledExecutorService trimmer;

    private EmbeddedMongo(AbstractMongoBackend backend, int port) {
        this.backend = backend;
        backend.version(WIRE_VERSION_8);
        this.server = new MongoServer(backend);
        server.enableOplog();
        server.bind("127.0.0.1", port);
        this.port = server.getLocalAddress().getPort();
        this.self = MongoClients.create("mongodb://127.0.0.1:" + this.port);
        this.trimmer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "oplog-trimmer");
            thread.setDaemon(true);
            return thread;
        });
        trimmer.scheduleWithFixedDelay(this::trimOplog, TRIM_EVERY.toMillis(), TRIM_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void trimOplog() {
        try {
            trimOplogBefore(Clock.systemUTC().instant().minus(OPLOG_RETENTION));
        } catch (MongoException | IllegalStateException failed) {
            LOG.warnf("Could not trim the embedded oplog (%s); trying again in %s", failed.getMessage(), TRIM_EVERY);
        }
    }

    /** Deletes the oplog entries written before {@code cutoff}; returns how many. */
    long trimOplogBefore(Instant cutoff) {
        return oplog().deleteMany(Filters.lt("wall", Date.from(cutoff))).getDeletedCount();
    }

    MongoCollection<Document> oplog() {
        return self.getDatabase("local").getCollection("oplog.rs");
    }

    /** A server keeping its data in {@code file} (created if absent), on {@code port} (0 picks a free one). */
    public static EmbeddedMongo onFile(Path file, int port) throws Exception {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new EmbeddedMongo(new DurableH2Backend(file.toAbsolutePath().toString()), port);
    }

    /** A server that forgets everything when closed, on a free port. */
    public static EmbeddedMongo inMemory() {
        return new EmbeddedMongo(H2Backend.inMemory(), 0);
    }

    public int port() {
        return port;
    }

    /** A connection string naming {@code database}. */
    public String uri(String database) {
        return "mongodb://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() {
        trimmer.shutdownNow();
        self.close();
        // shutdown() closes the backend, which commits and closes the H2 file
        server.shutdown();
    }
}
