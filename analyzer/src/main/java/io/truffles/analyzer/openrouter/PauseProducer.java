package io.truffles.analyzer.openrouter;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

class PauseProducer {
    @Produces
    @Singleton
    @DefaultBean
    Pause pause() {
        return Pause.REAL;
    }
}
