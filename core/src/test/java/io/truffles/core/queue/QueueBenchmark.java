package io.truffles.core.queue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.embedded.EmbeddedMongo;
import io.truffles.core.mongo.MongoConnections;
import io.truffles.core.testing.QueueFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;

/**
 * Prints the job queue's figures so later changes can be compared: claims per second and claim-to-finish latency
 * for 1, 2 and 4 workers working through 10,000 jobs, and the doorbell latency from insert to claim. Runs against
 * the embedded server on its H2 file backend, as the embedded default does.
 * <p>
 * Jobs arrive while the workers drain them, at most {@code backlog} waiting at a time, the way sessions queue up in
 * practice. The embedded server has no secondary indexes, so every claim scans the collection: a backlog of all
 * 10,000 at once makes each claim sort them all, which measures the stand-in server rather than the queue.
 * <p>
 * {@code ./mvnw -B -q -pl core -Pbench exec:java} (args: jobs, backlog, doorbell samples).
 */
public final class QueueBenchmark {

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int doorbellSamples = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Path file = Files.createTempDirectory("truffles-bench").resolve("bench.mv");
        try (EmbeddedMongo mongo = EmbeddedMongo.onFile(file, 0);
                MongoClient client = MongoConnections.connect(mongo.uri("truffles"))) {
            MongoCollection<Session> sessions = MongoConnections.documents(client, mongo.uri("truffles")).sessions();
            System.out.printf("Queue benchmark: embedded MongoDB (H2 file), %d jobs arriving with at most %d waiting,"
                    + " %d cores%n", jobs, backlog, Runtime.getRuntime().availableProcessors());
            System.out.printf("%-8s %12s %14s %14s %14s%n", "workers", "claims/s", "p50 ms", "p99 ms", "max ms");
            for (int workers : new int[] {1, 2, 4}) {
                drain(sessions, jobs, backlog, workers);
            }
            doorbell(sessions, doorbellSamples);
        }
    }

    private static void drain(MongoCollection<Session> sessions, int jobs, int backlog, int workers)
            throws InterruptedException {
        sessions.deleteMany(new Document());
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger inserted = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        Thread feeder = new Thread(() -> {
            int batch = Math.max(1, Math.min(100, backlog / 2));
            while (inserted.get() < jobs) {
                if (inserted.get() - finished.get() + batch <= backlog) {
                    int count = Math.min(batch, jobs - inserted.get());
                    QueueFixtures.insertPending(sessions, count, Instant.now());
                    inserted.addAndGet(count);
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        feeder.start();
        for (int w = 0; w < workers; w++) {
            JobQueue<Session> queue = new JobQueue<>(sessions, QueueStage.RENDER, Clock.systemUTC(),
                    "bench@local:" + w);
            Thread thread = new Thread(() -> {
                while (true) {
                    long claimedAt = System.nanoTime();
                    Optional<Claim<Session>> claim = queue.claim();
                    if (claim.isEmpty()) {
                        if (finished.get() >= jobs) {
                            return;
                        }
                        Thread.onSpinWait();
                        continue;
                    }
                    if (!queue.finish(claim.get(), SessionStatus.analyzing.name())) {
                        throw new IllegalStateException("finish lost its lease in a benchmark");
                    }
                    latencies.add(System.nanoTime() - claimedAt);
                    finished.incrementAndGet();
                }
            });
            threads.add(thread);
            thread.start();
        }
        feeder.join();
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length != jobs) {
            throw new IllegalStateException("processed " + sorted.length + " of " + jobs + " jobs");
        }
        System.out.printf("%-8d %12.0f %14.2f %14.2f %14.2f%n", workers, jobs / seconds, ms(percentile(sorted, 50)),
                ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]));
    }

    private static void doorbell(MongoCollection<Session> sessions, int samples) throws InterruptedException {
        sessions.deleteMany(new Document());
        Doorbell doorbell = new Doorbell();
        BlockingQueue<Long> claimedAt = new ArrayBlockingQueue<>(1);
        JobQueue<Session> queue = new JobQueue<>(sessions, QueueStage.RENDER, Clock.systemUTC(), "bench@local:bell");
        long[] latencies = new long[samples];
        try (CollectionWatcher watcher = new CollectionWatcher(sessions, doorbell, Clock.systemUTC()).start();
                QueueWorker<Session> worker = new QueueWorker<>(queue, job -> {
                    claimedAt.add(System.nanoTime());
                    return JobOutcome.moveTo(SessionStatus.analyzing);
                }, doorbell, () -> 1, Duration.ofSeconds(30), Clock.systemUTC()).start()) {
            for (int i = 0; i < samples; i++) {
                long insertedAt = System.nanoTime();
                sessions.insertOne(QueueFixtures.pendingSession(Instant.now()));
                Long claimed = claimedAt.poll(60, TimeUnit.SECONDS);
                if (claimed == null) {
                    throw new IllegalStateException("a job inserted was not claimed within 60 s");
                }
                latencies[i] = claimed - insertedAt;
            }
        }
        Arrays.sort(latencies);
        System.out.printf("doorbell (insert -> claim, change stream; poll fallback 30 s): p50 %.1f ms, p99 %.1f ms, "
                + "max %.1f ms over %d inserts%n", ms(percentile(latencies, 50)), ms(percentile(latencies, 99)),
                ms(latencies[latencies.length - 1]), samples);
    }

    private static long percentile(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
