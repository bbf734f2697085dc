package io.truffles.core.retry;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Real waits unless a test brings its own {@link Pause}. */
class PauseProducer {
    @Produces
    @Singleton
    @DefaultBean
    Pause pause() {
        return Pause.SLEEP;
    }
}
