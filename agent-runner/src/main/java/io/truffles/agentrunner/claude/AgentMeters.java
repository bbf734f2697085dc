package io.truffles.agentrunner.claude;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;

/**
 * {@code truffles_agent_phase_duration_seconds{phase,result}} (one Claude Code run per phase: verifying, planning,
 * coding, reviewing) and {@code truffles_agent_cost_dollars_total} (the CLI's {@code total_cost_usd}, summed).
 */
final class AgentMeters {
    private static final MeterRegistry REGISTRY = Metrics.globalRegistry;
    private static final Counter COST = Counter.builder("truffles.agent.cost.dollars")
            .description("US dollars Claude Code reported spending, all agents").register(REGISTRY);

    private AgentMeters() {
    }

    static Timer.Sample start() {
        return Timer.start(REGISTRY);
    }

    /** succeeded, failed (the CLI ended without a good result), timed_out or stopped */
    private static String result(ClaudeRun run) {
        if (run.succeeded()) {
            return "succeeded";
        }
        return run.ending() == ClaudeRun.Ending.EXITED ? "failed" : run.ending().name().toLowerCase(Locale.ROOT);
    }

    static void phaseEnded(Timer.Sample started, AgentPhase phase, ClaudeRun run) {
        started.stop(Timer.builder("truffles.agent.phase.duration").tag("phase", phase.status().name())
                .tag("result", result(run))
                .description("One Claude Code run, by phase").register(REGISTRY));
        if (run.result() != null) {
            COST.increment(run.result().totalCostUsd());
        }
    }
}
