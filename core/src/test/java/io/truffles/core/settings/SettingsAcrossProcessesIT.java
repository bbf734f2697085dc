package io.truffles.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.truffles.core.documents.Settings;
import io.truffles.core.mongo.Documents;
import io.truffles.core.testing.JavaProcess;
import io.truffles.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsAcrossProcessesIT {

    @Test
    void aSettingChangedByOneProcessIsSeenByAnotherWithinTwoSeconds() throws Exception {
        try (TestDatabase database = TestDatabase.start()) {
            Documents documents = database.documents();
            Settings defaults = SettingsStore.builtInDefaults();
            SettingsStore store = new SettingsStore(documents.settings(), defaults, Clock.systemUTC());
            try (LiveSettings live = new LiveSettings(store, documents.settings(), defaults, Duration.ofSeconds(1))
                    .start()) {
                assertThat(live.current().maxConcurrentAgents).isEqualTo(5);

                try (JavaProcess writer = JavaProcess.start(SettingsWriterProcess.class, database.uri(), "2")) {
                    writer.awaitLine("WROTE 2", 60);
                }
                await().atMost(Duration.ofSeconds(2)).until(() -> live.current().maxConcurrentAgents == 2);
            }
        }
    }
}
