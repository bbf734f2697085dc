package io.truffles.core.queue;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes waiting workers when something may have changed. A ring carries no data: whoever wakes up queries MongoDB
 * for what is there. Read {@link #generation()} before looking for work and pass it to {@link #awaitRingAfter}, so
 * a ring that happens in between is never missed.
 */
public final class Doorbell {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rung = lock.newCondition();
    private long generation;

    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    public void ring() {
        lock.lock();
        try {
            generation++;
            rung.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the bell rang after {@code seen} or {@code timeout} passed. Returns whether it rang. */
    public boolean awaitRingAfter(long seen, Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, timeout.toNanos());
        lock.lock();
        try {
            while (generation == seen) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = rung.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Sleeps for {@code duration} unless the bell rings first; for back-off that a shutdown must be able to cut short. */
    public void pause(Duration duration) throws InterruptedException {
        awaitRingAfter(generation(), duration);
    }
}
