package io.truffles.api.notifications;

import com.mongodb.client.MongoDatabase;
import io.truffles.core.mongo.MongoServerKind;
import io.truffles.core.queue.CollectionWatcher;
import io.truffles.core.queue.Doorbell;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How the relay and the sender learn of work, the way the live feed does: on MongoDB, change streams on the
 * collections ring the doorbell and a slow poll backs them; on the embedded server (whose change-stream polls scan the
 * whole oplog) no stream, a short poll.
 */
final class ChangeFollow implements AutoCloseable {
    private static final Duration STREAM_POLL = Duration.ofSeconds(5);

    private final List<CollectionWatcher> watchers;
    private final Duration poll;

    private ChangeFollow(List<CollectionWatcher> watchers, Duration poll) {
        this.watchers = watchers;
        this.poll = poll;
    }

    static ChangeFollow of(MongoDatabase database, List<String> collections, Doorbell doorbell, Duration embeddedPoll,
            Clock clock) {
        boolean changeStreams = MongoServerKind.followsChangeStreams(database);
        if (!changeStreams) {
            return new ChangeFollow(List.of(), embeddedPoll);
        }
        return new ChangeFollow(collections.stream()
                .map(name -> new CollectionWatcher(database.getCollection(name), doorbell, clock).start()).toList(),
                STREAM_POLL);
    }

    /** The longest to wait for the doorbell before looking anyway. */
    Duration poll() {
        return poll;
    }

    /** A daemon thread, started. */
    static Thread thread(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void close() {
        watchers.forEach(CollectionWatcher::close);
    }
}
