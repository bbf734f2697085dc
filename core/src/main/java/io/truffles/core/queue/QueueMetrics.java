package io.truffles.core.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.SessionStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What an operator watches of one stage's queue, for every stage at once (Prometheus names):
 * {@code truffles_queue_documents{collection,status}} (documents in each status, counted at most every
 * {@link #DEPTH_CACHE} however often Prometheus scrapes), {@code truffles_queue_claims_total},
 * {@code truffles_queue_claim_attempt} (the attempt number of each claim: a mean above 1 means retries),
 * {@code truffles_queue_completions_total}, {@code truffles_queue_failures_total{reason,result}} (reason: the error's
 * type; result: retry or failed), {@code truffles_queue_lease_losses_total} and
 * {@code truffles_queue_job_duration_seconds{outcome}} (render, analyze or agent run, claim to finish).
 */
public final class QueueMetrics {
    /** How long a count of the queue's documents is reused: scrapes never add load on MongoDB beyond this. */
    public static final Duration DEPTH_CACHE = Duration.ofSeconds(15);

    private final MeterRegistry registry;
    private final String stage;
    private final Counter claims;
    private final DistributionSummary claimAttempts;
    private final Counter completions;
    private final Counter leaseLosses;
    private final Function<String, Long> countOfStatus;
    private final Clock clock;
    private final List<String> statuses;
    private Map<String, Long> depth = Map.of();
    private Instant countedAt = Instant.MIN;

    public QueueMetrics(MeterRegistry registry, QueueStage stage, Function<String, Long> countOfStatus, Clock clock) {
        this.registry = registry;
        this.stage = stage.name();
        this.countOfStatus = countOfStatus;
        this.clock = clock;
        this.claims = Counter.builder("truffles.queue.claims").tag("stage", this.stage)
                .description("Documents this worker claimed").register(registry);
        this.claimAttempts = DistributionSummary.builder("truffles.queue.claim.attempt").tag("stage", this.stage)
                .description("The attempt number of each claim (1 = first try)").register(registry);
        this.completions = Counter.builder("truffles.queue.completions").tag("stage", this.stage)
                .description("Jobs finished and moved to the next status").register(registry);
        this.leaseLosses = Counter.builder("truffles.queue.lease.losses").tag("stage", this.stage)
                .description("Jobs stopped because their lease was lost (another worker took over)").register(registry);
        this.statuses = statusesOf(stage);
        for (String status : statuses) {
            Gauge.builder("truffles.queue.documents", () -> depth(status))
                    .tag("collection", stage.collection()).tag("status", status)
                    .description("Documents in this status (counted at most every 15 s)").register(registry);
        }
    }

    /** Meters kept in a registry of their own: for workers run outside a service (tests, benchmarks). */
    public static QueueMetrics unexported(QueueStage stage) {
        return new QueueMetrics(new SimpleMeterRegistry(), stage, status -> 0L, Clock.systemUTC());
    }

    void claimed(int attempt) {
        claims.increment();
        claimAttempts.record(attempt);
    }

    void completed(Duration took) {
        completions.increment();
        jobDuration("completed").record(took);
    }

    void failed(Throwable failure, FailResult result, Duration took) {
        if (result == FailResult.LEASE_LOST) {
            // another worker holds it now: its failure is not this attempt's to record
            leaseLost(took);
            return;
        }
        String outcome = result == FailResult.FAILED ? "failed" : "retry";
        Counter.builder("truffles.queue.failures").tag("stage", stage)
                .tag("reason", failure.getClass().getSimpleName()).tag("result", outcome)
                .description("Failed attempts by the error's type, and whether they are retried").register(registry)
                .increment();
        jobDuration("failed").record(took);
    }

    void abandoned(int count) {
        Counter.builder("truffles.queue.failures").tag("stage", stage).tag("reason", "abandoned").tag("result", "failed")
                .register(registry).increment(count);
    }

    void leaseLost(Duration took) {
        leaseLosses.increment();
        jobDuration("lease_lost").record(took);
    }

    private Timer jobDuration(String outcome) {
        return Timer.builder("truffles.queue.job.duration").tag("stage", stage).tag("outcome", outcome)
                .description("Claim to finish of one job").register(registry);
    }

    private synchronized long depth(String status) {
        Instant now = clock.instant();
        if (now.isAfter(countedAt.plus(DEPTH_CACHE)) || now.isBefore(countedAt)) {
            Map<String, Long> counted = new HashMap<>();
            for (String each : statuses) {
                counted.put(each, countOfStatus.apply(each));
            }
            depth = counted;
            countedAt = now;
        }
        return depth.getOrDefault(status, 0L);
    }

    private static List<String> statusesOf(QueueStage stage) {
        Enum<?>[] values = AgentSession.COLLECTION.equals(stage.collection()) ? AgentStatus.values()
                : SessionStatus.values();
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
