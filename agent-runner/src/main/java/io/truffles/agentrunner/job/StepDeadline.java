package io.truffles.agentrunner.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Runs each step after the agent's CLI (status and diff, the secret scan, commit, push, the PR) with a deadline and
 * watching for a stop request, so nothing the agent left in its checkout — a FIFO, a huge tree — and no remote that
 * never answers can keep the job, and so its heartbeat and lease, alive forever. The step runs on its own daemon
 * thread; when it overruns or a stop is requested, the thread is interrupted and abandoned, and the job ends with the
 * reason.
 */
final class StepDeadline {
    /** How a step ended other than by finishing. */
    static final class Overrun extends Exception {
        private final boolean stopped;

        Overrun(String message, boolean stopped) {
            super(message);
            this.stopped = stopped;
        }

        /** A stop request, rather than the deadline, ended it. */
        boolean stopped() {
            return stopped;
        }
    }

    private static final Duration CHECK = Duration.ofMillis(250);

    private final Duration limit;
    private final BooleanSupplier stopRequested;
    private final Clock clock;

    StepDeadline(Duration limit, BooleanSupplier stopRequested, Clock clock) {
        this.limit = limit;
        this.stopRequested = stopRequested;
        this.clock = clock;
    }

    /** Runs {@code step}; its own exceptions pass through unchanged. */
    <T> T run(String what, Callable<T> step) throws Overrun, Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(step.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "agent-step-" + what.replace(' ', '-'));
        worker.setDaemon(true);
        worker.start();
        Instant deadline = clock.instant().plus(limit);
        while (true) {
            try {
                return result.get(CHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException failed) {
                if (failed.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw new IllegalStateException(failed.getCause());
            } catch (TimeoutException stillRunning) {
                if (stopRequested.getAsBoolean()) {
                    worker.interrupt();
                    throw new Overrun("stopped on request during " + what, true);
                }
                if (clock.instant().isAfter(deadline)) {
                    worker.interrupt();
                    throw new Overrun(what + " took longer than " + limit.toSeconds() + " s and was abandoned", false);
                }
            }
        }
    }
}
