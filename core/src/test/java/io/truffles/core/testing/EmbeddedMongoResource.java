package io.truffles.core.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.truffles.core.embedded.EmbeddedMongo;
import java.util.Map;

/** The embedded MongoDB server for {@code @QuarkusTest}s: the same server the embedded default runs, in memory. */
public class EmbeddedMongoResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedMongo mongo;

    @Override
    public Map<String, String> start() {
        mongo = EmbeddedMongo.inMemory();
        return Map.of(
                "truffles.mongodb.uri", mongo.uri("truffles"),
                "quarkus.mongodb.connection-string", mongo.uri("truffles"),
                "quarkus.mongodb.database", "truffles",
                // the embedded server warns about every non-unique index it ignores
                "quarkus.log.category.\"de.bwaldvogel\".level", "ERROR");
    }

    @Override
    public void stop() {
        if (mongo != null) {
            mongo.close();
        }
    }
}
