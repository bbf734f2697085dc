package io.truffles.core.settings;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Updates;
import io.truffles.core.mongo.MongoConnections;
import java.time.Clock;
import java.util.List;

/** Another process changing a setting, as the api does for an admin. Args: MongoDB URI, maxConcurrentAgents. */
public final class SettingsWriterProcess {
    public static void main(String[] args) {
        try (MongoClient client = MongoConnections.connect(args[0])) {
            SettingsStore store = new SettingsStore(MongoConnections.documents(client, args[0]).settings(),
                    SettingsStore.builtInDefaults(), Clock.systemUTC());
            store.update(List.of(Updates.set("maxConcurrentAgents", Integer.parseInt(args[1]))));
            System.out.println("WROTE " + args[1]);
        }
    }
}
