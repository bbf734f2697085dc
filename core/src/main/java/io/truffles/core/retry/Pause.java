package io.truffles.core.retry;

import io.truffles.core.queue.Doorbell;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How a client waits between attempts. Injected, so tests see the waits a {@code Retry-After} asked for without
 * spending them (or move their clock by them).
 */
@FunctionalInterface
public interface Pause {
    void pause(Duration wait) throws InterruptedException;

    /** Waits the whole time, unless the thread is interrupted. */
    Pause SLEEP = wait -> TimeUnit.NANOSECONDS.sleep(Math.max(0, wait.toNanos()));

    /** Waits unless {@code stop} rings first (shutdown), which ends the wait with an {@link InterruptedException}. */
    static Pause untilRung(Doorbell stop) {
        return wait -> {
            if (stop.awaitRingAfter(stop.generation(), wait)) {
                throw new InterruptedException("stopping");
            }
        };
    }
}
