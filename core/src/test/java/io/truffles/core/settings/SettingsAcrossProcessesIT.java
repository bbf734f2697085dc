package io.truffles.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import io.truffles.core.documents.Settings;
import io.truffles.core.embedded.EmbeddedMongo;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import io.truffles.core.testing.JavaProcess;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsAcrossProcessesIT {

    @Test
    void aSettingChangedByOneProcessIsSeenByAnotherWithinTwoSeconds() throws Exception {
        try (EmbeddedMongo mongo = EmbeddedMongo.inMemory();
                MongoClient client = MongoConnections.connect(mongo.uri("truffles"))) {
            Documents documents = MongoConnections.documents(client, mongo.uri("truffles"));
            Settings defaults = SettingsStore.builtInDefaults();
            SettingsStore store = new SettingsStore(documents.settings(), defaults, Clock.systemUTC());
            try (LiveSettings live = new LiveSettings(store, documents.settings(), defaults, Duration.ofSeconds(1))
                    .start()) {
                assertThat(live.current().maxConcurrentAgents).isEqualTo(5);

                try (JavaProcess writer = JavaProcess.start(SettingsWriterProcess.class, mongo.uri("truffles"), "2")) {
                    writer.awaitLine("WROTE 2", 60);
                }
                await().atMost(Duration.ofSeconds(2)).until(() -> live.current().maxConcurrentAgents == 2);
            }
        }
    }
}
