package io.truffles.analyzer.openrouter;

import java.time.Duration;

/** Waiting between retries, injected so tests can see the waits a Retry-After asked for without spending them. */
@FunctionalInterface
public interface Pause {
    void pause(Duration duration) throws InterruptedException;

    Pause REAL = duration -> java.util.concurrent.TimeUnit.MILLISECONDS.sleep(duration.toMillis());
}
