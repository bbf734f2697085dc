package io.truffles.core.settings;

import io.quarkus.runtime.Startup;
import io.truffles.core.config.TrufflesConfig;
import io.truffles.core.documents.Settings;
import io.truffles.core.mongo.Documents;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/** Every service follows the settings document from start-up on; its defaults come from the environment. */
public class SettingsProducer {
    /** The fallback re-read behind the change-stream doorbell: a change applies within this at worst. */
    static final Duration POLL = Duration.ofSeconds(1);

    @Produces
    @Singleton
    SettingsStore settingsStore(Documents documents, TrufflesConfig config, Clock clock) {
        return new SettingsStore(documents.settings(), defaults(config.settings()), clock);
    }

    @Produces
    @Singleton
    @Startup
    LiveSettings liveSettings(SettingsStore store, Documents documents, TrufflesConfig config) {
        return new LiveSettings(store, documents.settings(), defaults(config.settings()), POLL).start();
    }

    void close(@Disposes LiveSettings settings) {
        settings.close();
    }

    static Settings defaults(TrufflesConfig.SettingsDefaults environment) {
        Settings settings = SettingsStore.builtInDefaults();
        settings.maxConcurrentAgents = environment.maxConcurrentAgents();
        settings.agentTimeoutMinutes = environment.agentTimeoutMinutes();
        settings.pollingIntervalSeconds = environment.pollingIntervalSeconds();
        settings.videoModelPrimary = environment.videoModelPrimary();
        settings.videoModelSecondary = environment.videoModelSecondary();
        settings.textModel = environment.textModel();
        settings.screeningModel = environment.screeningModel();
        return settings;
    }
}
