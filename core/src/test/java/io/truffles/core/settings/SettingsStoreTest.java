package io.truffles.core.settings;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Updates;
import io.truffles.core.documents.Settings;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.testing.MutableClock;
import io.truffles.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SettingsStoreTest {
    @AutoClose
    private static final TestDatabase database = TestDatabase.start();
    private static final Documents documents = database.documents();
    private final MutableClock clock = MutableClock.startingNow();

    @BeforeEach
    void noSettingsYet() {
        documents.settings().deleteMany(new Document());
    }

    @Test
    void theFirstStartWritesTheDefaultsAsTheGlobalDocument() {
        Settings defaults = SettingsStore.builtInDefaults();
        defaults.maxConcurrentAgents = 3;
        new SettingsStore(documents.settings(), defaults, clock).initialize();

        Document stored = documents.database().getCollection("settings").find(eq("_id", "global")).first();
        assertThat(stored.getInteger("maxConcurrentAgents")).isEqualTo(3);
        assertThat(stored.getString("videoModelPrimary")).isEqualTo("google/gemini-3-pro-preview");
        assertThat(stored.getList("autoFixSeverities", String.class)).containsExactly("red");
    }

    @Test
    void startingAgainNeverOverwritesWhatAnAdminChose() {
        SettingsStore store = new SettingsStore(documents.settings(), SettingsStore.builtInDefaults(), clock);
        store.initialize();
        store.update(List.of(Updates.set("pollingIntervalSeconds", 15)));

        Settings otherDefaults = SettingsStore.builtInDefaults();
        otherDefaults.pollingIntervalSeconds = 600;
        SettingsStore restarted = new SettingsStore(documents.settings(), otherDefaults, clock);
        restarted.initialize();

        assertThat(restarted.read().pollingIntervalSeconds).isEqualTo(15);
    }

    @Test
    void aSettingMissingFromTheDocumentReadsAsItsDefault() {
        documents.database().getCollection("settings")
                .insertOne(new Document("_id", "global").append("maxConcurrentAgents", 1));
        Settings read = new SettingsStore(documents.settings(), SettingsStore.builtInDefaults(), clock).read();
        assertThat(read.maxConcurrentAgents).isEqualTo(1);
        assertThat(read.rendererConcurrency).isEqualTo(2);
        assertThat(read.autoFixSeverities).containsExactly(Severity.red);
    }

    @Test
    void liveSettingsSeeAWriteThatDidNotStampUpdatedAt() {
        Settings defaults = SettingsStore.builtInDefaults();
        SettingsStore store = new SettingsStore(documents.settings(), defaults, clock);
        try (LiveSettings live = new LiveSettings(store, documents.settings(), defaults, Duration.ofMillis(200))
                .start()) {
            documents.settings().updateOne(eq("_id", "global"), Updates.set("maxConcurrentAgents", 4));
            await().atMost(Duration.ofSeconds(2)).until(() -> live.current().maxConcurrentAgents == 4);
        }
    }

    @Test
    void liveSettingsTellListenersOfAChangeOnce() {
        Settings defaults = SettingsStore.builtInDefaults();
        SettingsStore store = new SettingsStore(documents.settings(), defaults, clock);
        AtomicInteger changes = new AtomicInteger();
        try (LiveSettings live = new LiveSettings(store, documents.settings(), defaults, Duration.ofMillis(200))
                .start()) {
            live.onChange(settings -> changes.incrementAndGet());
            clock.advance(Duration.ofSeconds(1));
            store.update(List.of(Updates.set("textModel", "anthropic/claude-opus-4.6")));
            await().atMost(Duration.ofSeconds(2)).until(() -> "anthropic/claude-opus-4.6".equals(live.current().textModel));
            await().during(Duration.ofMillis(600)).until(() -> changes.get() == 1);
        }
    }
}
