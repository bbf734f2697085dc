package io.truffles.core.settings;

import java.util.List;
import java.util.Map;

/**
 * The bounds of the numeric settings, the same wherever a value enters: the environment's starting values
 * ({@code EnvironmentCheck}), an admin's change ({@code PUT /api/settings}) and the settings page.
 * <ul>
 * <li>{@code maxConcurrentAgents} 0–50: 0 pauses agent work without a restart (queued agents wait); above 50 the
 * machine, not the setting, is the limit.</li>
 * <li>{@code pollingIntervalSeconds} ≥ 10: PostHog allows 1200 recording-API calls an hour for the whole
 * organisation; a list every 10 s spends 360 of them, every 5 s would spend 720 before a single snapshot.</li>
 * </ul>
 */
public final class SettingsLimits {
    /** Inclusive bounds of a whole-number setting. */
    public record Range(int min, int max) {
        public boolean contains(long value) {
            return value >= min && value <= max;
        }

        /** For error messages: "a whole number from min to max". */
        public String describe() {
            return "a whole number from " + min + " to " + max;
        }
    }

    public static final Range MAX_CONCURRENT_AGENTS = new Range(0, 50);
    public static final Range AGENT_TIMEOUT_MINUTES = new Range(1, 24 * 60);
    public static final Range POLLING_INTERVAL_SECONDS = new Range(10, 24 * 60 * 60);
    public static final Range RENDERER_CONCURRENCY = new Range(1, 16);
    /** {@code dailyModelBudgetUsd}: dollars, from 0. */
    public static final double MAX_DAILY_MODEL_BUDGET_USD = 100_000;
    /**
     * The spending caps, in dollars from 0 to this ({@code dailyModelBudgetUsd}, {@code dailyAgentBudgetUsd},
     * {@code agentRunBudgetUsd}, {@code monthlyBudgetUsd}); 0 holds all work of its kind, unset means no cap.
     */
    public static final double MAX_BUDGET_USD = MAX_DAILY_MODEL_BUDGET_USD;
    /** The dollar settings; each but {@code dailyModelBudgetUsd} may be cleared (no cap). */
    public static final List<String> BUDGET_FIELDS = List.of("dailyModelBudgetUsd", "dailyAgentBudgetUsd",
            "agentRunBudgetUsd", "monthlyBudgetUsd");
    /** {@code videoSamplePercent}: with {@code videoSessions: sampled}, the share of sessions without signals. */
    public static final Range VIDEO_SAMPLE_PERCENT = new Range(0, 100);

    /** The whole-number settings by their field in the settings document. */
    public static final Map<String, Range> BY_FIELD = Map.of(
            "maxConcurrentAgents", MAX_CONCURRENT_AGENTS,
            "agentTimeoutMinutes", AGENT_TIMEOUT_MINUTES,
            "pollingIntervalSeconds", POLLING_INTERVAL_SECONDS,
            "rendererConcurrency", RENDERER_CONCURRENCY,
            "videoSamplePercent", VIDEO_SAMPLE_PERCENT);

    private SettingsLimits() {
    }
}
