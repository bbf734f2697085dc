package io.truffles.core.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.truffles.core.testing.TestDatabase;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Why no store uses Panache's {@code @Transactional} (multi-document transactions): the embedded server
 * (mongo-java-server) has none, so every transition is one atomic single-document write instead — the outbox entry in
 * the same update as the change it reports, the fenced {@code findOneAndUpdate} of a claim.
 */
class EmbeddedTransactionsTest {

    @Test
    void theEmbeddedServerRefusesAMultiDocumentTransactionAndWritesNothing() {
        try (TestDatabase database = TestDatabase.start();
                MongoClient client = MongoConnections.connect(database.uri())) {
            MongoCollection<Document> probe = client.getDatabase("truffles").getCollection("transactionProbe");

            assertThatThrownBy(() -> {
                try (ClientSession session = client.startSession()) {
                    session.startTransaction();
                    probe.insertOne(session, new Document("n", 1));
                    probe.insertOne(session, new Document("n", 2));
                    session.commitTransaction();
                }
            }).isInstanceOf(MongoException.class);
            assertThat(probe.countDocuments()).isZero();
        }
    }
}
