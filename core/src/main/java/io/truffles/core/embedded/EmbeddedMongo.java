package io.truffles.core.embedded;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The MongoDB wire-protocol server of the embedded default and of tests: mongo-java-server with its H2 backend (a
 * file, or memory), the oplog on so change streams work, bound to 127.0.0.1.
 */
public final class EmbeddedMongo implements AutoCloseable {
    /**
     * The driver of Quarkus 3.33 (5.x) refuses servers below wire version 8 (MongoDB 4.2); mongo-java-server speaks
     * enough of it for Truffles' queries.
     */
    private static final MongoVersion WIRE_VERSION_8 = new MongoVersion() {
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

    private EmbeddedMongo(AbstractMongoBackend backend, int port) {
        this.backend = backend;
        backend.version(WIRE_VERSION_8);
        this.server = new MongoServer(backend);
        server.enableOplog();
        server.bind("127.0.0.1", port);
        this.port = server.getLocalAddress().getPort();
    }

    /** A server keeping its data in {@code file} (created if absent), on {@code port} (0 picks a free one). */
    public static EmbeddedMongo onFile(Path file, int port) throws Exception {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new EmbeddedMongo(new H2Backend(file.toAbsolutePath().toString()), port);
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
        // shutdown() closes the backend, which commits and closes the H2 file
        server.shutdown();
    }
}
