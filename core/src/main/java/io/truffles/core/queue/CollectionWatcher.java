package io.truffles.core.queue;

import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import io.truffles.core.retry.Pause;
import io.truffles.core.retry.RetryWaits;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * Rings a {@link Doorbell} on every change event of a collection. Events are signals only: their payloads are never
 * read as documents (the embedded server's update events are incomplete and it emits none for findAndModify), and
 * workers keep a slow poll, so a broken or restarted stream delays work but never loses it.
 */
public final class CollectionWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CollectionWatcher.class);
    private static final Duration MAX_AWAIT = Duration.ofSeconds(1);
    /** Servers that answer getMore at once with nothing (the embedded one) would otherwise be asked in a busy loop. */
    private static final long EMPTY_BATCH_PAUSE_MS = 50;

    private final MongoCollection<Document> collection;
    private final Doorbell doorbell;
    private final RetryWaits reconnect;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor;
    private final AtomicLong events = new AtomicLong();

    /** @param clock the injected clock the reconnect back-off ({@link RetryWaits#reconnecting}) is measured on */
    public CollectionWatcher(MongoCollection<?> collection, Doorbell doorbell, Clock clock) {
        this.collection = collection.withDocumentClass(Document.class);
        this.doorbell = doorbell;
        this.reconnect = RetryWaits.reconnecting(clock);
        this.thread = new Thread(this::watch, "watch-" + collection.getNamespace().getCollectionName());
        this.thread.setDaemon(true);
    }

    public CollectionWatcher start() {
        thread.start();
        return this;
    }

    private void watch() {
        int failures = 0;
        boolean reportedBroken = false;
        while (running) {
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> opened = collection.watch()
                    .maxAwaitTime(MAX_AWAIT.toMillis(), TimeUnit.MILLISECONDS).cursor()) {
                cursor = opened;
                if (reportedBroken) {
                    LOG.infof("Change stream on %s is back; the poll fallback is no longer alone",
                            collection.getNamespace());
                    reportedBroken = false;
                }
                failures = 0;
                while (running) {
                    if (opened.tryNext() != null) {
                        events.incrementAndGet();
                        doorbell.ring();
                    } else {
                        // a stream may have moved while nobody was looking; waking once costs one query
                        pause(EMPTY_BATCH_PAUSE_MS);
                    }
                }
            } catch (MongoException | IllegalStateException broken) {
                cursor = null;
                if (!running) {
                    return;
                }
                if (!reportedBroken) {
                    LOG.warnf("Change stream on %s unavailable (%s); falling back to polling and retrying the "
                            + "stream with back-off. On MongoDB, run a replica set so change streams work.",
                            collection.getNamespace(), broken.getMessage());
                    reportedBroken = true;
                }
                doorbell.ring();
                try {
                    Pause.SLEEP.pause(reconnect.backOff(++failures));
                } catch (InterruptedException closed) {
                    return;
                }
            }
        }
    }

    /** Whether a change stream is open now (when not, only the poll fallback wakes workers). */
    public boolean streaming() {
        return cursor != null;
    }

    /** Change events seen so far: rings that came from the stream, not from the fallback. */
    public long events() {
        return events.get();
    }

    @Override
    public void close() {
        running = false;
        MongoChangeStreamCursor<?> open = cursor;
        if (open != null) {
            try {
                open.close();
            } catch (RuntimeException alreadyClosing) {
                // closing from another thread may race the watcher's own close; either way it is closed
            }
        }
        thread.interrupt();
    }

    /** Parks rather than sleeps: {@link #close()} interrupts the thread and the pause ends at once. */
    private static void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
