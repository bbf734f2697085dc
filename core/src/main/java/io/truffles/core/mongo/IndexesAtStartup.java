package io.truffles.core.mongo;

import com.mongodb.MongoException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.truffles.core.retry.Pause;
import io.truffles.core.retry.RetryWaits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Ensures {@link DocumentIndexes} when a service starts. MongoDB may not be up yet (a reboot starts everything at
 * once), so this retries with back-off in the background instead of failing start-up; health checks say DOWN
 * meanwhile.
 */
@ApplicationScoped
public class IndexesAtStartup {
    private static final Logger LOG = Logger.getLogger(IndexesAtStartup.class);

    private final Documents documents;
    private final Clock clock;
    private volatile boolean stopping;
    private volatile boolean ensured;
    private Thread thread;

    IndexesAtStartup(Documents documents, Clock clock) {
        this.documents = documents;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::ensure, "ensure-indexes");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether the indexes exist: work that relies on a unique index to stay idempotent waits for this. */
    public boolean ensured() {
        return ensured;
    }

    private void ensure() {
        RetryWaits reconnect = RetryWaits.reconnecting(clock);
        int failures = 0;
        boolean reported = false;
        while (!stopping) {
            try {
                DocumentIndexes.ensure(documents);
                ensured = true;
                if (reported) {
                    LOG.info("MongoDB reachable; indexes ensured");
                }
                return;
            } catch (MongoException unreachable) {
                if (!reported) {
                    LOG.errorf("MongoDB unreachable (%s); retrying with back-off. Check MONGODB_URI and that the "
                            + "server is running.", unreachable.getMessage());
                    reported = true;
                }
                try {
                    Pause.SLEEP.pause(reconnect.backOff(++failures));
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }
}
