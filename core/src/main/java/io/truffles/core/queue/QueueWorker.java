package io.truffles.core.queue;

import com.mongodb.MongoException;
import io.truffles.core.documents.Queued;
import io.truffles.core.error.LeaseLostException;
import io.truffles.core.error.UnrecoverableJobException;
import io.truffles.core.retry.RetryWaits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Runs one stage's jobs: claims while it has capacity ({@code concurrency} is read before every claim, so a live
 * settings change takes effect at once and lowering it lets running jobs finish), keeps each claim's lease alive
 * with heartbeats, and finishes or fails it. Waits on the {@link Doorbell} between claims, with a poll as fallback.
 */
public final class QueueWorker<T extends Queued> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QueueWorker.class);

    private final JobQueue<T> queue;
    private final JobHandler<T> handler;
    private final Doorbell doorbell;
    private final IntSupplier concurrency;
    private final Duration pollInterval;
    private final Clock clock;
    private final QueueMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService jobs;
    private final ScheduledExecutorService heartbeats;
    private final Thread dispatcher;
    private volatile boolean running;
    private volatile boolean mongoUnreachable;

    public QueueWorker(JobQueue<T> queue, JobHandler<T> handler, Doorbell doorbell, IntSupplier concurrency,
            Duration pollInterval, Clock clock) {
        this(queue, handler, doorbell, concurrency, pollInterval, clock, QueueMetrics.unexported(queue.stage()));
    }

    public QueueWorker(JobQueue<T> queue, JobHandler<T> handler, Doorbell doorbell, IntSupplier concurrency,
            Duration pollInterval, Clock clock, QueueMetrics metrics) {
        this.metrics = metrics;
        this.queue = queue;
        this.handler = handler;
        this.doorbell = doorbell;
        this.concurrency = concurrency;
        this.pollInterval = pollInterval;
        this.clock = clock;
        String stage = queue.stage().name();
        this.jobs = Executors.newCachedThreadPool(named(stage + "-job"));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(named(stage + "-heartbeat"));
        this.dispatcher = named(stage + "-dispatcher").newThread(this::dispatch);
    }

    public QueueWorker<T> start() {
        running = true;
        dispatcher.start();
        return this;
    }

    /** Jobs running right now. */
    public int inFlight() {
        return inFlight.get();
    }

    private void dispatch() {
        RetryWaits reconnect = RetryWaits.reconnecting(clock);
        int failures = 0;
        while (running) {
            long seen = doorbell.generation();
            try {
                if (inFlight.get() >= Math.max(0, concurrency.getAsInt())) {
                    doorbell.awaitRingAfter(seen, pollInterval);
                    continue;
                }
                Optional<Claim<T>> claim = queue.claim();
                reachable();
                failures = 0;
                if (claim.isPresent()) {
                    metrics.claimed(claim.get().attempt());
                    inFlight.incrementAndGet();
                    jobs.execute(() -> run(claim.get()));
                    continue;
                }
                if (!doorbell.awaitRingAfter(seen, untilNextDue())) {
                    var abandoned = queue.failAbandoned(handler::endingForGood);
                    metrics.abandoned(abandoned.size());
                    abandoned.forEach(each -> failedForGood(each.id, each.lastError));
                }
            } catch (MongoException unreachable) {
                if (!running) {
                    return;
                }
                Duration wait = reconnect.backOff(++failures);
                unreachable(unreachable, wait);
                try {
                    // a ring (work, or stop) ends the wait early: the next claim is the reconnect attempt
                    doorbell.pause(wait);
                } catch (InterruptedException interrupted) {
                    return;
                }
            } catch (InterruptedException interrupted) {
                return;
            }
        }
    }

    private Duration untilNextDue() {
        Optional<Instant> due = queue.nextDueAt();
        if (due.isEmpty()) {
            return pollInterval;
        }
        Duration wait = Duration.between(clock.instant(), due.get());
        return wait.compareTo(pollInterval) < 0 ? wait : pollInterval;
    }

    private void run(Claim<T> claim) {
        JobContext<T> context = new JobContext<>(claim);
        Thread worker = Thread.currentThread();
        ScheduledFuture<?> heartbeat = scheduleHeartbeat(claim, context, worker);
        String stage = queue.stage().name();
        Instant started = clock.instant();
        try {
            JobOutcome outcome = handler.handle(context);
            heartbeat.cancel(false);
            Bson[] changes = outcome.changes().toArray(Bson[]::new);
            if (outcome.waits()) {
                if (context.leaseLost() || !queue.release(claim, outcome.waitUntil(), changes)) {
                    LOG.warnf("%s of %s was to wait, but its lease was lost", stage, claim.id());
                }
                return;
            }
            if (context.leaseLost() || !queue.finish(claim, outcome.nextStatus(), changes)) {
                LOG.warnf("%s of %s finished after its lease was lost; its result was discarded", stage, claim.id());
                metrics.leaseLost(since(started));
            } else {
                metrics.completed(since(started));
            }
        } catch (UnrecoverableJobException unrecoverable) {
            heartbeat.cancel(false);
            LOG.errorf("%s of %s failed for good: %s", stage, claim.id(), unrecoverable.getMessage());
            FailResult result = fail(claim, context, unrecoverable.getMessage(), false);
            metrics.failed(unrecoverable, result, since(started));
            if (result == FailResult.FAILED) {
                failedForGood(claim.id(), unrecoverable.getMessage());
            }
        } catch (LeaseLostException lost) {
            LOG.warnf("%s of %s stopped: %s", stage, claim.id(), lost.getMessage());
            metrics.leaseLost(since(started));
        } catch (Exception | Error failure) {
            heartbeat.cancel(false);
            if (context.leaseLost()) {
                LOG.warnf("%s of %s stopped after its lease was lost (%s)", stage, claim.id(), failure);
                metrics.leaseLost(since(started));
            } else if (StorageOutage.causedBy(failure)) {
                String error = describe(failure);
                boolean handedBack = queue.handBack(claim, error, clock.instant().plus(queue.stage().backoffBase()));
                metrics.failed(failure, handedBack ? FailResult.RETRY_SCHEDULED : FailResult.LEASE_LOST,
                        since(started));
                LOG.warnf("%s of %s waits for the stack's storage (%s); its attempt is handed back", stage,
                        claim.id(), error);
            } else {
                String error = describe(failure);
                FailResult result = fail(claim, context, error, true);
                metrics.failed(failure, result, since(started));
                LOG.errorf(failure, "%s of %s failed on attempt %d (%s)", stage, claim.id(), claim.attempt(), result);
                if (result == FailResult.FAILED) {
                    failedForGood(claim.id(), error);
                }
            }
        } finally {
            heartbeat.cancel(false);
            Thread.interrupted();
            inFlight.decrementAndGet();
            doorbell.ring();
        }
    }

    /**
     * Fails the attempt; when that ends the document for good, the handler's ending is done first and written with it,
     * so no process death can leave a document failed without its ending.
     */
    private FailResult fail(Claim<T> claim, JobContext<T> context, String error, boolean retryable) {
        if (!queue.failsForGood(claim, retryable) || context.leaseLost()) {
            return queue.fail(claim, error, retryable);
        }
        List<Bson> ending;
        try {
            ending = handler.endingForGood(claim.id(), error);
        } catch (RuntimeException e) {
            // still held: once the lease runs out the queue fails it for good, asking for the ending again
            LOG.errorf(e, "%s of %s failed for good, and ending it failed; it ends once its lease runs out",
                    queue.stage().name(), claim.id());
            return FailResult.LEASE_LOST;
        }
        return queue.fail(claim, error, retryable, ending.toArray(Bson[]::new));
    }

    private Duration since(Instant started) {
        return Duration.between(started, clock.instant());
    }

    private void failedForGood(ObjectId id, String error) {
        try {
            handler.failedForGood(id, error);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s of %s failed for good, and handling that failed too", queue.stage().name(), id);
        }
    }

    private ScheduledFuture<?> scheduleHeartbeat(Claim<T> claim, JobContext<T> context, Thread worker) {
        long periodMs = Math.max(10, queue.stage().leaseTtl().toMillis() / 3);
        Instant[] lastRenewed = {clock.instant()};
        return heartbeats.scheduleAtFixedRate(() -> {
            try {
                if (queue.heartbeat(claim)) {
                    lastRenewed[0] = clock.instant();
                    return;
                }
                context.markLeaseLost();
            } catch (MongoException unreachable) {
                // the lease may still be ours; it is only lost once it has certainly expired
                if (clock.instant().isBefore(lastRenewed[0].plus(queue.stage().leaseTtl()))) {
                    return;
                }
                context.markLeaseLost();
            }
            LOG.warnf("Lost the lease on %s; stopping its %s job", claim.id(), queue.stage().name());
            worker.interrupt();
            throw new LeaseLostException("lease lost");
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void reachable() {
        if (mongoUnreachable) {
            LOG.infof("MongoDB reachable again; %s worker resumes", queue.stage().name());
            mongoUnreachable = false;
        }
    }

    private void unreachable(MongoException error, Duration retry) {
        if (!mongoUnreachable) {
            LOG.errorf("MongoDB unreachable (%s); %s worker retrying with back-off, first in %d ms",
                    error.getMessage(), queue.stage().name(), retry.toMillis());
            mongoUnreachable = true;
        }
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops claiming and waits up to {@code grace} for running jobs; jobs still running then are interrupted. */
    public void stop(Duration grace) {
        running = false;
        dispatcher.interrupt();
        jobs.shutdown();
        try {
            if (!jobs.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                jobs.shutdownNow();
            }
            dispatcher.join(grace.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        heartbeats.shutdownNow();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
