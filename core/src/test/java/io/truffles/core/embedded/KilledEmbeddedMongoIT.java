package io.truffles.core.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.truffles.core.testing.JavaProcess;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KilledEmbeddedMongoIT {
    private static final Pattern LISTENING = Pattern.compile("listening on (mongodb://\\S+)");

    @TempDir
    Path data;

    @Test
    void everyWriteTheServerAcknowledgedIsStillThereAfterItIsKilledAndStartedAgain() throws Exception {
        Path file = data.resolve("mongo/truffles.mv");
        try (JavaProcess server = JavaProcess.start(EmbeddedMongoServer.class, "--port", "0", "--file",
                file.toString())) {
            String uri = uri(server);
            try (MongoClient client = MongoClients.create(uri)) {
                MongoCollection<Document> things = client.getDatabase("truffles").getCollection("things");
                // one acknowledged write of each kind a worker makes, the last ones just before the kill
                for (int n = 0; n < 300; n++) {
                    things.insertOne(new Document("_id", n).append("status", "pending"));
                }
                things.updateOne(Filters.eq("_id", 7), Updates.set("status", "rendering"));
                things.findOneAndUpdate(Filters.eq("_id", 8), Updates.set("status", "analyzing"));
                things.deleteOne(Filters.eq("_id", 9));
                things.insertOne(new Document("_id", "last").append("status", "pending"));
            }
            server.kill();
        }

        try (JavaProcess server = JavaProcess.start(EmbeddedMongoServer.class, "--port", "0", "--file",
                file.toString());
                MongoClient client = MongoClients.create(uri(server))) {
            MongoCollection<Document> things = client.getDatabase("truffles").getCollection("things");
            assertThat(things.countDocuments()).isEqualTo(300);
            assertThat(things.find(Filters.eq("_id", "last")).first()).isNotNull();
            assertThat(things.find(Filters.eq("_id", 7)).first().getString("status")).isEqualTo("rendering");
            assertThat(things.find(Filters.eq("_id", 8)).first().getString("status")).isEqualTo("analyzing");
            assertThat(things.find(Filters.eq("_id", 9)).first()).isNull();
        }
    }

    private static String uri(JavaProcess server) throws InterruptedException {
        Matcher listening = LISTENING.matcher(server.awaitLine("Embedded MongoDB", 60));
        assertThat(listening.find()).as(server.transcript()).isTrue();
        return listening.group(1);
    }
}
