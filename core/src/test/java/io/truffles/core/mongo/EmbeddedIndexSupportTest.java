package io.truffles.core.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.truffles.core.testing.TestDatabase;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * What the embedded server (mongo-java-server) does with the index options a "one live agent per issue" guard could
 * use — proven here rather than assumed, because the stores' indexes rely on it (IssueStore, AgentSessionStore).
 */
class EmbeddedIndexSupportTest {

    @Test
    void aSparseUniqueIndexRefusesADuplicateValueButIgnoresDocumentsWithoutTheField() {
        try (TestDatabase database = TestDatabase.start()) {
            MongoCollection<Document> collection = database.documents().database().getCollection("sparseProbe");
            collection.createIndex(Indexes.ascending("liveKey"), new IndexOptions().unique(true).sparse(true));
            collection.insertOne(new Document("n", 1));
            collection.insertOne(new Document("n", 2));
            collection.insertOne(new Document("liveKey", "a"));
            assertThatThrownBy(() -> collection.insertOne(new Document("liveKey", "a")))
                    .isInstanceOf(MongoWriteException.class);
            assertThat(collection.countDocuments()).isEqualTo(3);
        }
    }

    @Test
    void aPartialFilterExpressionIsIgnoredSoAPartialUniqueIndexWouldRefuseEveryLaterAgent() {
        try (TestDatabase database = TestDatabase.start()) {
            MongoCollection<Document> collection = database.documents().database().getCollection("partialProbe");
            collection.createIndex(Indexes.ascending("issueId"), new IndexOptions().unique(true)
                    .partialFilterExpression(new Document("status", new Document("$in", List.of("queued")))));
            collection.insertOne(new Document("issueId", "i1").append("status", "done"));
            // a real MongoDB indexes only queued documents and takes this one; mongo-java-server refuses it
            assertThatThrownBy(() -> collection.insertOne(new Document("issueId", "i1").append("status", "failed")))
                    .isInstanceOf(MongoWriteException.class);
            // and it reports itself as 4.2, so AgentSessionStore leaves the live-agent index out
            assertThat(MongoServerKind.isMongoDb6OrLater(database.documents().database())).isFalse();
        }
    }
}
