package io.truffles.core.mongo;

import com.mongodb.client.MongoClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The typed collections on Quarkus's MongoDB client, and the clock every lease and back-off is measured with. */
public class MongoProducers {

    @Produces
    @Singleton
    Documents documents(MongoClient client, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        return new Documents(client.getDatabase(database));
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
