package io.truffles.core.queue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.truffles.core.documents.Queued;
import io.truffles.core.mongo.Documents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Starts a service's {@link QueueWorker}s wired the one way Truffles does it: the stage's collection, a change-stream
 * doorbell with a poll behind it, the database server's clock ({@link ServerClock}), and a lease owner naming this
 * process. Stops them on shutdown, letting running jobs finish for a grace period.
 */
@ApplicationScoped
public class StageWorkers {
    /** The slow poll behind the doorbell: work is found within this even when no change event arrives. */
    static final Duration POLL = Duration.ofSeconds(5);
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

    private final Documents documents;
    private final Clock clock;
    private final MeterRegistry meters;
    private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();
    private ServerClock serverClock;

    StageWorkers(Documents documents, Clock clock, MeterRegistry meters) {
        this.documents = documents;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * The database server's time as this process sees it, measured on first use and every
     * {@link ServerClock#REMEASURE}: what leases are written and compared in, by the workers and by anything else of
     * the service that reads a lease.
     */
    public synchronized ServerClock serverClock() {
        if (serverClock == null) {
            serverClock = ServerClock.of(clock, documents.database()).measure();
            ScheduledExecutorService remeasure = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "server-clock");
                thread.setDaemon(true);
                return thread;
            });
            long every = ServerClock.REMEASURE.toMillis();
            remeasure.scheduleWithFixedDelay(serverClock::measure, every, every, TimeUnit.MILLISECONDS);
            running.add(remeasure::shutdownNow);
        }
        return serverClock;
    }

    public <T extends Queued> QueueWorker<T> start(String service, QueueStage stage, Class<T> type,
            JobHandler<T> handler, IntSupplier concurrency) {
        var collection = documents.collection(stage.collection(), type);
        Doorbell doorbell = new Doorbell();
        CollectionWatcher watcher = new CollectionWatcher(collection, doorbell, clock).start();
        ServerClock time = serverClock();
        JobQueue<T> queue = new JobQueue<>(collection, stage, time, WorkerIdentity.of(service));
        QueueMetrics metrics = new QueueMetrics(meters, stage, queue::countWithStatus, time);
        QueueWorker<T> worker = new QueueWorker<>(queue, handler, doorbell, concurrency, POLL, time, metrics).start();
        running.add(() -> worker.stop(SHUTDOWN_GRACE));
        running.add(watcher);
        return worker;
    }

    void onStop(@Observes ShutdownEvent event) {
        for (AutoCloseable closeable : running) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // shutting down: nothing left to do with a failure to close
            }
        }
    }
}
