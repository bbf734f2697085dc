package io.truffles.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoCollection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.error.UnrecoverableJobException;
import io.truffles.core.testing.MutableClock;
import io.truffles.core.testing.QueueFixtures;
import io.truffles.core.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** What a worker reports as it works: claims, completions, failures by reason and result, durations, queue depth. */
class QueueMetricsTest {
    @AutoClose
    private static final TestDatabase database = TestDatabase.start();

    @Test
    void aWorkerCountsWhatHappensToEachJob() {
        MongoCollection<Session> sessions = database.documents().sessions();
        sessions.deleteMany(new org.bson.Document());
        List<Session> three = QueueFixtures.insertPending(sessions, 3, Clock.systemUTC().instant());
        MeterRegistry registry = new SimpleMeterRegistry();
        MutableClock clock = MutableClock.startingNow();
        JobQueue<Session> queue = new JobQueue<>(sessions, QueueStage.RENDER, Clock.systemUTC(), "renderer@test:1");
        QueueMetrics metrics = new QueueMetrics(registry, QueueStage.RENDER, queue::countWithStatus, clock);
        assertThat(depth(registry, "pending")).isEqualTo(3);

        JobHandler<Session> handler = job -> {
            if (job.document().id.equals(three.get(1).id)) {
                throw new IllegalStateException("a retryable failure");
            }
            if (job.document().id.equals(three.get(2).id)) {
                throw new UnrecoverableJobException("a broken recording");
            }
            return JobOutcome.moveTo(SessionStatus.analyzing);
        };
        try (QueueWorker<Session> worker = new QueueWorker<>(queue, handler, new Doorbell(), () -> 1,
                Duration.ofMillis(100), Clock.systemUTC(), metrics).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> count(registry, "truffles.queue.claims") == 3);
            await().atMost(Duration.ofSeconds(20)).until(() -> registry.find("truffles.queue.job.duration")
                    .timers().stream().mapToLong(timer -> timer.count()).sum() == 3);
        }

        assertThat(count(registry, "truffles.queue.completions")).isEqualTo(1);
        assertThat(registry.get("truffles.queue.failures").tag("reason", "IllegalStateException")
                .tag("result", "retry").counter().count()).isEqualTo(1);
        assertThat(registry.get("truffles.queue.failures").tag("reason", "UnrecoverableJobException")
                .tag("result", "failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("truffles.queue.claim.attempt").summary().max()).isEqualTo(1);
        assertThat(registry.get("truffles.queue.job.duration").tag("outcome", "completed").timer().count()).isEqualTo(1);

        // the depth is counted again only once its cache is old: a scrape never costs more than one count a while
        assertThat(depth(registry, "pending")).as("still the cached count").isEqualTo(3);
        clock.advance(QueueMetrics.DEPTH_CACHE.plusSeconds(1));
        assertThat(depth(registry, "analyzing")).isEqualTo(1);
        assertThat(depth(registry, "failed")).isEqualTo(1);
        assertThat(depth(registry, "pending")).as("the retry waits out its back-off").isEqualTo(1);
    }

    private static double count(MeterRegistry registry, String counter) {
        return registry.find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double depth(MeterRegistry registry, String status) {
        return registry.get("truffles.queue.documents").tag("status", status).gauge().value();
    }
}
