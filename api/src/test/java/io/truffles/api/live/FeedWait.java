package io.truffles.api.live;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.core.ThrowingRunnable;

/**
 * A wait on the live feed that, when it runs long, says why: what each client got, how many clients the server holds,
 * and where the feed's threads (its reader, the event loops, the workers that subscribe, the clients' own) stood. The
 * picture is taken while the wait is still stalled, not after it gave up — a stall that clears by itself is seen too.
 */
final class FeedWait {
    /** Threads that carry a message from the reader to a client's list. */
    private static final List<String> FEED_THREADS = List.of("agent-feed", "vert.x-eventloop", "executor-thread",
            "HttpClient");
    private static final Set<String> IDLE = Set.of("java.util.concurrent.ThreadPoolExecutor.getTask",
            "org.jboss.threads.EnhancedQueueExecutor$PoolThreadNode.park", "sun.nio.ch.EPoll.wait");
    private static final Duration STALLED = Duration.ofSeconds(10);

    private final MeterRegistry metrics;

    FeedWait(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** Waits up to {@code limit} for {@code assertion} to pass; past 10 s it notes the feed's state and prints it. */
    void until(Duration limit, List<WsClient> clients, ThrowingRunnable assertion) {
        AtomicReference<String> stalledClients = new AtomicReference<>();
        AtomicReference<String> stalledThreads = new AtomicReference<>();
        try {
            await().atMost(limit).conditionEvaluationListener(evaluation -> {
                if (evaluation.getElapsedTimeInMS() > STALLED.toMillis() && stalledClients.get() == null
                        && !evaluation.isSatisfied()) {
                    stalledThreads.set(threads());
                    stalledClients.set(clients(clients));
                }
            }).untilAsserted(assertion);
        } catch (AssertionError | RuntimeException timedOut) {
            // the first line is what a build's summary shows: the clients then and at the end
            throw new AssertionError("The live feed stalled. After " + STALLED.toSeconds() + " s: "
                    + stalledClients.get() + "; at the end: " + clients(clients) + "\nIts threads after "
                    + STALLED.toSeconds() + " s: " + stalledThreads.get() + "\nAt the end: " + threads(), timedOut);
        }
        if (stalledClients.get() != null) {
            System.out.println("The live feed was slow but got there. After " + STALLED.toSeconds() + " s: "
                    + stalledClients.get() + "\n" + stalledThreads.get());
        }
    }

    /** How many clients the server holds, and what each got (alike clients counted together). */
    private String clients(List<WsClient> clients) {
        Gauge held = metrics.find("truffles.ws.clients").gauge();
        return "server holds " + (held == null ? "?" : (int) held.value()) + " client(s), they got "
                + clients.stream().collect(Collectors.groupingBy(WsClient::toString, TreeMap::new,
                        Collectors.counting())).entrySet().stream()
                        .map(alike -> alike.getValue() + "x " + alike.getKey()).collect(Collectors.joining(", "));
    }

    /** The feed's threads that are doing something (or waiting on something), and how many sit idle. */
    private static String threads() {
        Map<Boolean, List<Map.Entry<Thread, StackTraceElement[]>>> byIdle = Thread.getAllStackTraces().entrySet()
                .stream().filter(thread -> FEED_THREADS.stream().anyMatch(thread.getKey().getName()::startsWith))
                .collect(Collectors.partitioningBy(thread -> idle(thread.getValue())));
        return byIdle.get(true).size() + " idle thread(s) of the feed, busy or waiting:"
                + byIdle.get(false).stream().map(FeedWait::thread).collect(Collectors.joining());
    }

    /** Parked in its pool for the next task, or its selector waiting for the network. */
    private static boolean idle(StackTraceElement[] stack) {
        return Arrays.stream(stack).anyMatch(frame -> IDLE.contains(frame.getClassName() + "." + frame.getMethodName()));
    }

    private static String thread(Map.Entry<Thread, StackTraceElement[]> thread) {
        StackTraceElement[] stack = thread.getValue();
        return "\n  " + thread.getKey().getName() + " " + thread.getKey().getState() + Arrays.stream(stack).limit(8)
                .map(frame -> "\n      at " + frame).collect(Collectors.joining());
    }
}
