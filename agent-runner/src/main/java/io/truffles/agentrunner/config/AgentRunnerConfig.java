package io.truffles.agentrunner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** The agent-runner's own settings (the shared ones live in {@code TrufflesConfig}). */
@ConfigMapping(prefix = "agent-runner")
public interface AgentRunnerConfig {

    /** {@code CLAUDE_CLI_PATH}: the Claude Code executable; the module build installs it under claude-code/. */
    @WithDefault("claude-code/node_modules/@anthropic-ai/claude-code/bin/claude.exe")
    Path claudeCli();

    /** {@code AGENT_MODEL}: the model agents run. */
    @WithDefault("claude-sonnet-4-5")
    String model();

    /** {@code AGENT_MAX_TURNS}: {@code --max-turns} of each phase. */
    @WithDefault("30")
    int maxTurns();

    /** {@code AGENT_MAX_BUDGET_USD}: {@code --max-budget-usd} of each phase. */
    @WithDefault("2.5")
    double maxBudgetUsd();

    /** {@code ANTHROPIC_BASE_URL}: the Messages API (a local fake in tests). */
    @WithDefault("https://api.anthropic.com")
    URI anthropicBaseUrl();

    /** {@code GIT_PUSH_URL}: where branches are pushed; defaults to https://github.com/GITHUB_REPO.git. */
    Optional<String> pushUrl();

    /** {@code DASHBOARD_URL}: links to agent sessions in PR bodies. */
    @WithDefault("http://localhost")
    String dashboardUrl();

    /** {@code AGENT_USER}: the unprivileged user agents run as when the runner is root. */
    @WithDefault("truffles-agent")
    String agentUser();

    /**
     * {@code AGENT_RUN_DIR}: per-agent HOME and model bridge folders. Under the data folder, never a shared
     * {@code /tmp}: another local user could create a predictable path there first and own what the runner puts in.
     */
    @WithDefault("${truffles.data-dir:data}/agent-runs")
    Path runDir();

    /**
     * {@code AGENT_TOOLCHAIN_PATHS}: host folders the product's build needs beyond {@code /usr} (a JDK under /opt, a
     * node install), comma-separated, mounted read-only in every sandbox. The runner refuses to start agents when one
     * of them holds the Truffles install, its .env or data, or the clone.
     */
    Optional<java.util.List<Path>> toolchainPaths();

    /**
     * {@code AGENT_UID_BASE}: the first of the uids agents run as, one per running agent, when the runner is root
     * (none of them may belong to an account). 0 turns per-agent uids off (all agents share {@code AGENT_USER}).
     */
    @WithDefault("1900000000")
    int uidBase();

    /** {@code PR_POLL_INTERVAL}: how often open PRs are checked for merge or close. */
    @WithDefault("PT5M")
    Duration prPollInterval();

    /**
     * How long an agent's claim lives without a heartbeat: after a runner crash, another (or the restarted) runner
     * takes the agent over once this has passed. Heartbeats renew it every third of it.
     */
    @WithDefault("PT60S")
    Duration leaseTtl();

    /**
     * {@code AGENT_RETRY_BACKOFF}: the wait before a failed agent's second attempt, doubling for each later one (at
     * most 30 minutes).
     */
    @WithDefault("PT1M")
    Duration retryBackoff();

    /**
     * {@code AGENT_STEP_TIMEOUT}: how long each step after the agent's CLI (status and diff, the secret scan, commit,
     * push, opening the PR) may take before the agent fails with the step named; nothing left in a checkout can make
     * the runner wait longer.
     */
    @WithDefault("PT5M")
    Duration stepTimeout();

    /**
     * For tests only: the unit the live {@code agentTimeoutMinutes} setting is counted in. Minutes in production;
     * tests set {@code SECONDS} so an agent times out within seconds while the timeout still comes from the settings
     * document, read when each attempt starts.
     */
    @WithDefault("MINUTES")
    ChronoUnit timeoutUnit();

    /** Starts the queue worker and PR follow-up; off in tests that drive parts alone. */
    @WithDefault("true")
    boolean enabled();
}
