package io.truffles.core.testing;

import com.mongodb.client.MongoClient;
import io.truffles.core.embedded.EmbeddedMongo;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;

/** An in-memory embedded MongoDB with a client on it, for plain (non-Quarkus) tests. */
public final class TestDatabase implements AutoCloseable {
    private final EmbeddedMongo mongo;
    private final MongoClient client;
    private final Documents documents;

    private TestDatabase() {
        this.mongo = EmbeddedMongo.inMemory();
        this.client = MongoConnections.connect(uri());
        this.documents = MongoConnections.documents(client, uri());
    }

    public static TestDatabase start() {
        return new TestDatabase();
    }

    /** The connection string, for another process to connect with. */
    public String uri() {
        return mongo.uri("truffles");
    }

    public Documents documents() {
        return documents;
    }

    @Override
    public void close() {
        client.close();
        mongo.close();
    }
}
