package io.truffles.core.settings;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import io.truffles.core.documents.Settings;
import io.truffles.core.queue.CollectionWatcher;
import io.truffles.core.queue.Doorbell;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The settings every service follows while it runs: re-read on every change event of the {@code settings}
 * collection and at least every {@code pollInterval}, so an admin's change applies within seconds without a restart.
 * Until MongoDB answers, the defaults apply.
 */
public final class LiveSettings implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveSettings.class);

    private final SettingsStore store;
    private final MongoCollection<Settings> collection;
    private final Duration pollInterval;
    private final Doorbell doorbell = new Doorbell();
    private final List<Consumer<Settings>> listeners = new CopyOnWriteArrayList<>();
    private final Thread refresher;
    private volatile Settings current;
    private volatile boolean running;
    private volatile boolean initialized;
    private volatile boolean failing;
    private CollectionWatcher watcher;

    public LiveSettings(SettingsStore store, MongoCollection<Settings> collection, Settings defaults,
            Duration pollInterval) {
        this.store = store;
        this.collection = collection;
        this.pollInterval = pollInterval;
        this.current = defaults;
        this.refresher = new Thread(this::follow, "settings-refresh");
        this.refresher.setDaemon(true);
    }

    public LiveSettings start() {
        running = true;
        refresh();
        watcher = new CollectionWatcher(collection, doorbell, store.clock()).start();
        refresher.start();
        return this;
    }

    /** The settings as last read; never {@code null}. */
    public Settings current() {
        return current;
    }

    /** Called with the new settings after each change (not for re-reads that changed nothing). */
    public void onChange(Consumer<Settings> listener) {
        listeners.add(listener);
    }

    private void follow() {
        while (running) {
            long seen = doorbell.generation();
            try {
                doorbell.awaitRingAfter(seen, pollInterval);
            } catch (InterruptedException interrupted) {
                return;
            }
            refresh();
        }
    }

    private void refresh() {
        try {
            if (!initialized) {
                store.initialize();
                initialized = true;
            }
            Settings read = store.read();
            if (failing) {
                LOG.info("Settings readable again");
                failing = false;
            }
            if (!SettingsStore.sameValues(read, current)) {
                current = read;
                listeners.forEach(listener -> listener.accept(read));
            }
        } catch (MongoException unreachable) {
            if (!failing) {
                LOG.warnf("Cannot read settings (%s); keeping the last known ones and retrying",
                        unreachable.getMessage());
                failing = true;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (watcher != null) {
            watcher.close();
        }
        refresher.interrupt();
    }
}
