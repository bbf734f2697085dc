package io.truffles.core.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.truffles.core.config.DerivedConfigSource;
import java.util.concurrent.TimeUnit;

/** A MongoDB client outside Quarkus (benchmarks, helper processes, plain tests), with the same codecs as the services. */
public final class MongoConnections {
    private MongoConnections() {
    }

    public static MongoClient connect(String uri) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .codecRegistry(DocumentCodecs.REGISTRY)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build());
    }

    public static Documents documents(MongoClient client, String uri) {
        return new Documents(client.getDatabase(DerivedConfigSource.databaseName(uri)));
    }
}
