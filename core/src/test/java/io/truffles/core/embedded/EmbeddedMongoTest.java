package io.truffles.core.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class EmbeddedMongoTest {

    @Test
    void trimmingTheOplogDropsOldEntriesAndChangeStreamsStillSeeNewWrites() {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
                MongoClient client = MongoClients.create(mongo.uri("trim"))) {
            MongoCollection<Document> things = client.getDatabase("trim").getCollection("things");
            for (int i = 0; i < 50; i++) {
                things.insertOne(new Document("n", i));
            }
            assertThat(mongo.oplog().countDocuments()).isEqualTo(50);

            try (MongoCursor<ChangeStreamDocument<Document>> changes = things.watch()
                    .maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor()) {
                assertThat(mongo.trimOplogBefore(Instant.now().plusSeconds(1))).isEqualTo(50);
                assertThat(mongo.oplog().countDocuments()).isZero();

                things.insertOne(new Document("n", "after the trim"));
                ChangeStreamDocument<Document> change = await().atMost(Duration.ofSeconds(10))
                        .until(changes::tryNext, next -> next != null);
                assertThat(change.getFullDocument().get("n")).isEqualTo("after the trim");
            }
            assertThat(things.countDocuments()).as("the data itself is untouched").isEqualTo(51);
        }
    }

    @Test
    void entriesWithinTheRetentionAreKept() {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
                MongoClient client = MongoClients.create(mongo.uri("trim"))) {
            client.getDatabase("trim").getCollection("things").insertOne(new Document("n", 1));

            assertThat(mongo.trimOplogBefore(Instant.now().minus(EmbeddedMongo.OPLOG_RETENTION))).isZero();
            assertThat(mongo.oplog().countDocuments()).isEqualTo(1);
        }
    }
}
