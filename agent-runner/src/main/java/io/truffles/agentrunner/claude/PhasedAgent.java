package io.truffles.agentrunner.claude;

import com.fasterxml.jackson.databind.JsonNode;
import io.truffles.agentrunner.sandbox.AgentUser;
import io.truffles.agentrunner.sandbox.AgentUsers;
import io.truffles.agentrunner.sandbox.CheckoutOwnership;
import io.truffles.agentrunner.sandbox.ModelBridge;
import io.truffles.agentrunner.sandbox.SandboxCommand;
import io.truffles.agentrunner.sandbox.SandboxLaunch;
import io.truffles.agentrunner.sandbox.WorkspaceGrowth;
import io.truffles.agentrunner.worktree.Worktree;
import io.truffles.core.redaction.KnownSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Drives the Claude Code CLI through verifying → planning → coding → reviewing in one checkout, each phase a headless
 * run ({@code -p --output-format stream-json --verbose}, {@code --json-schema} for its outcome) resumed from the
 * previous phase's session, every run inside the sandbox with the model API reachable only through a
 * {@link ModelBridge}.
 */
public final class PhasedAgent {
    /** Streams what the agent does to whoever records it. */
    public interface Listener {
        void phaseStarted(AgentPhase phase);

        void line(AgentPhase phase, String line);

        /**
         * After each phase: what the run has cost so far (the larger of the CLI's summed {@code total_cost_usd} and
         * the model bridge's own count), on {@code model}. Never less than the last call's figure.
         */
        default void spent(String model, double runCostUsd) {
        }
    }

    private final SandboxCommand sandbox;
    private final AgentUsers users;
    private final ClaudeOptions options;
    private final Path runRoot;

    /** Every agent as {@code user} (or as the runner, when empty). */
    public PhasedAgent(SandboxCommand sandbox, Optional<AgentUser> user, ClaudeOptions options, Path runRoot) {
        this(sandbox, AgentUsers.shared(user), options, runRoot);
    }

    /** Each agent as its own user from {@code users}. */
    public PhasedAgent(SandboxCommand sandbox, AgentUsers users, ClaudeOptions options, Path runRoot) {
        this.sandbox = sandbox;
        this.users = users;
        this.options = options;
        this.runRoot = runRoot;
    }

    public boolean sandboxed() {
        return sandbox.sandboxAvailable();
    }

    /**
     * @param apiKey        the model key; sandboxed, it stays outside and the bridge adds it to each request
     * @param evidence      the read-only evidence folder inside the checkout
     * @param issueBlock    what the agent is asked to fix, as a quoted data block
     */
    public AgentOutcome run(Worktree worktree, String apiKey, Path evidence, String issueBlock, Duration timeout,
            BooleanSupplier stopRequested, Listener listener) throws IOException, InterruptedException {
        return run(worktree, apiKey, evidence, issueBlock, timeout, OptionalDouble.empty(), stopRequested, listener);
    }

    /**
     * @param runBudgetUsd what the whole run may cost over all its phases ({@code agentRunBudgetUsd}); empty for no
     *                     cap beyond {@code AGENT_MAX_BUDGET_USD}. The bridge forwards no request once its count
     *                     reaches it, each phase's CLI gets what is left as {@code --max-budget-usd}, and a run that
     *                     reaches it ends failed, not retried (another attempt would spend the cap again).
     */
    public AgentOutcome run(Worktree worktree, String apiKey, Path evidence, String issueBlock, Duration timeout,
            OptionalDouble runBudgetUsd, BooleanSupplier stopRequested, Listener listener)
            throws IOException, InterruptedException {
        try (AgentUsers.Lease lease = users.acquire()) {
            return run(lease.user(), worktree, apiKey, evidence, issueBlock, timeout,
                    runBudgetUsd.orElse(Double.POSITIVE_INFINITY), stopRequested, listener);
        }
    }

    private AgentOutcome run(Optional<AgentUser> user, Worktree worktree, String apiKey, Path evidence,
            String issueBlock, Duration timeout, double runBudgetUsd, BooleanSupplier stopRequested,
            Listener listener) throws IOException, InterruptedException {
        SandboxCommand sandbox = user.map(this.sandbox::as).orElse(this.sandbox);
        Path runDir = runRoot.resolve(worktree.id());
        deleteTree(runDir);
        Path home = Files.createDirectories(runDir.resolve("home"));
        user.ifPresent(u -> {
            CheckoutOwnership.handTo(worktree.path(), u);
            CheckoutOwnership.handTo(home, u);
        });
        // the agent's time budget is a duration, measured on the monotonic clock
        long deadline = System.nanoTime() + timeout.toNanos();
        double cost = 0;
        String session = null;
        WorkspaceGrowth growth = new WorkspaceGrowth(List.of(worktree.path(), home),
                sandbox.limits().maxWorkspaceBytes());
        ModelBridge.Options bridging = new ModelBridge.Options(Math.min(options.maxBudgetUsd(), runBudgetUsd),
                user.map(u -> OptionalInt.of(u.uid())).orElse(OptionalInt.empty()));
        try (ModelBridge bridge = ModelBridge.open(runDir.resolve("bridge"), options.apiBaseUrl(), apiKey, bridging)) {
            Path settings = ClaudeSettings.write(bridge.runDir(), options.apiBaseUrl());
            String settingsInside = sandbox.sandboxAvailable()
                    ? SandboxCommand.RUN_DIR + "/" + ClaudeSettings.FILE : settings.toString();
            String fixSummary = null;
            double runCost = 0;
            for (AgentPhase phase : AgentPhase.values()) {
                // a phase that ended the run (a false alarm, the review's verdict) is kept whatever it cost; only a
                // run that would go on is stopped at the cap
                if (runCost >= runBudgetUsd) {
                    return overCap(phase, runCost, runBudgetUsd, "before");
                }
                listener.phaseStarted(phase);
                List<String> command = new ArrayList<>();
                if (sandbox.sandboxAvailable()) {
                    command.addAll(bridge.innerCommand());
                }
                command.addAll(cliArguments(phase, session, settingsInside,
                        worktree.path().relativize(evidence).toString(), issueBlock,
                        Math.min(options.maxBudgetUsd(), runBudgetUsd - runCost)));
                SandboxLaunch launch = sandbox.build(worktree, List.of(options.installFolder()), List.of(evidence),
                        Optional.of(bridge.runDir()), Optional.of(home), environment(sandbox, apiKey, bridge), command);
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                if (left.isNegative() || left.isZero()) {
                    return new AgentOutcome.Failed("Agent timed out before " + phase.status(),
                            ClaudeRun.Ending.TIMED_OUT, cost);
                }
                // the placeholder is no secret to the model, but shown it would look like a key: kept out as one
                KnownSecrets placeholder = KnownSecrets.none().with("the agent's placeholder key",
                        bridge.placeholderKey());
                var running = AgentMeters.start();
                ClaudeRun run = ClaudeProcess.run(launch, left,
                        () -> stopRequested.getAsBoolean() || growth.getAsBoolean(),
                        line -> listener.line(phase, placeholder.scrub(line)));
                AgentMeters.phaseEnded(running, phase, run);
                if (run.result() != null) {
                    cost += run.result().totalCostUsd();
                    session = run.result().sessionId();
                }
                // the CLI prices what it asked for; the bridge every request that left the sandbox: the larger counts
                runCost = Math.max(cost, bridge.spend().usd());
                listener.spent(options.model(), runCost);
                if (growth.getAsBoolean()) {
                    return new AgentOutcome.Failed(String.format(java.util.Locale.ROOT, "%s: the agent wrote %d MB "
                            + "to its checkout and HOME, over the %d MB cap; its process tree was killed",
                            phase.status(), growth.lastBytes() >> 20, growth.capBytes() >> 20),
                            ClaudeRun.Ending.STOPPED, false, cost);
                }
                if (!run.succeeded()) {
                    // the bridge refuses requests past the cap and the CLI stops at its share: the cap is the cause
                    return runCost >= runBudgetUsd ? overCap(phase, runCost, runBudgetUsd, "in")
                            : new AgentOutcome.Failed(phase.status() + ": " + run.describeFailure(), run.ending(),
                                    run.retryable(), cost);
                }
                JsonNode outcome = run.result().structuredOutput();
                if (outcome == null) {
                    return new AgentOutcome.Failed(phase.status() + ": the agent gave no structured outcome",
                            ClaudeRun.Ending.EXITED, cost);
                }
                switch (phase) {
                    case VERIFYING -> {
                        if (!outcome.path("reproducible").asBoolean(false)) {
                            return new AgentOutcome.FalseAlarm(outcome.path("reason").asText(""), cost);
                        }
                    }
                    case CODING -> fixSummary = outcome.path("summary").asText("");
                    case REVIEWING -> {
                        if (!outcome.path("approved").asBoolean(false)) {
                            return new AgentOutcome.Failed("reviewing: the agent did not approve its change: "
                                    + outcome.path("summary").asText(""), ClaudeRun.Ending.EXITED, cost);
                        }
                        String review = outcome.path("summary").asText("");
                        return new AgentOutcome.Fixed(review.isBlank() ? fixSummary : review, cost);
                    }
                    default -> {
                        // planning: the plan is in the output log; nothing to decide
                    }
                }
            }
            throw new IllegalStateException("unreachable: the reviewing phase always decides");
        } finally {
            deleteTree(runDir);
        }
    }

    /** A run stopped at {@code agentRunBudgetUsd}: failed for good, since another attempt would spend it again. */
    private static AgentOutcome.Failed overCap(AgentPhase phase, double runCost, double runBudgetUsd, String when) {
        return new AgentOutcome.Failed(String.format(java.util.Locale.ROOT, "stopped %s %s: this run has cost $%.4f, "
                + "reaching the per-run cap of $%s (agentRunBudgetUsd). Raise the cap and retry the agent if the issue "
                + "is worth more", when, phase.status(), runCost,
                java.math.BigDecimal.valueOf(runBudgetUsd).stripTrailingZeros().toPlainString()),
                ClaudeRun.Ending.STOPPED, false, runCost);
    }

    private List<String> cliArguments(AgentPhase phase, String session, String settings, String evidenceFolder,
            String issueBlock, double budgetUsd) {
        List<String> args = new ArrayList<>(List.of(options.realCli().toString(), "-p",
                "--output-format", "stream-json", "--verbose",
                "--model", options.model(),
                "--max-turns", String.valueOf(options.maxTurns()),
                "--max-budget-usd", java.math.BigDecimal.valueOf(budgetUsd).toPlainString(),
                "--permission-mode", "bypassPermissions",
                "--disallowedTools", "WebFetch,WebSearch",
                "--settings", settings,
                "--json-schema", phase.schema()));
        if (session != null) {
            args.add("--resume=" + session);
        }
        args.add(phase.prompt(evidenceFolder, issueBlock));
        return args;
    }

    /**
     * Sandboxed, the CLI gets the bridge's placeholder key and URL: the real key stays in the runner and is put on the
     * request on its way out. Without bubblewrap there is no private network to bridge into, so the CLI gets the real
     * key and URL (the agentSession says {@code sandboxed: false}).
     */
    private Map<String, String> environment(SandboxCommand sandbox, String apiKey, ModelBridge bridge) {
        Map<String, String> env = new LinkedHashMap<>();
        boolean hasKey = apiKey != null && !apiKey.isBlank();
        if (sandbox.sandboxAvailable()) {
            if (hasKey) {
                env.put("ANTHROPIC_API_KEY", bridge.placeholderKey());
            }
            env.put("ANTHROPIC_BASE_URL", bridge.innerBaseUrl());
        } else {
            if (hasKey) {
                env.put("ANTHROPIC_API_KEY", apiKey);
            }
            env.put("ANTHROPIC_BASE_URL", options.apiBaseUrl().toString());
        }
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("LANG", "C.UTF-8");
        return env;
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
