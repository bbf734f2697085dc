package io.truffles.api.settings;

import com.mongodb.client.MongoClient;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.settings.SettingsStore;
import java.time.Clock;
import java.time.Duration;

/** Another service following the settings as every service does (core's LiveSettings). Args: MongoDB URI. */
public final class LiveSettingsReaderProcess {
    public static void main(String[] args) throws Exception {
        try (MongoClient client = MongoConnections.connect(args[0])) {
            Documents documents = MongoConnections.documents(client, args[0]);
            SettingsStore store = new SettingsStore(documents.settings(), SettingsStore.builtInDefaults(),
                    Clock.systemUTC());
            LiveSettings live = new LiveSettings(store, documents.settings(), SettingsStore.builtInDefaults(),
                    Duration.ofSeconds(1));
            live.onChange(settings -> System.out.println("SETTING maxConcurrentAgents=" + settings.maxConcurrentAgents));
            live.start();
            System.out.println("READY maxConcurrentAgents=" + live.current().maxConcurrentAgents);
            System.in.read();
        }
    }
}
