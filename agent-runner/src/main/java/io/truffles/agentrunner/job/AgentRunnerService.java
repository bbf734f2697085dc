package io.truffles.agentrunner.job;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Updates.set;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.truffles.agentrunner.claude.ClaudeCli;
import io.truffles.agentrunner.claude.ClaudeOptions;
import io.truffles.agentrunner.claude.PhasedAgent;
import io.truffles.agentrunner.config.AgentRunnerConfig;
import io.truffles.agentrunner.github.GitHubClient;
import io.truffles.agentrunner.github.GitHubException;
import io.truffles.agentrunner.github.PullRequestState;
import io.truffles.agentrunner.sandbox.AgentUser;
import io.truffles.agentrunner.sandbox.AgentUsers;
import io.truffles.agentrunner.sandbox.ResourceLimits;
import io.truffles.agentrunner.sandbox.SandboxCommand;
import io.truffles.agentrunner.worktree.PrivateGitConfig;
import io.truffles.agentrunner.worktree.Worktrees;
import io.truffles.core.agents.AgentSessionStore;
import io.truffles.core.config.Secret;
import io.truffles.core.config.TrufflesConfig;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Move;
import io.truffles.core.issues.IssueStore;
import io.truffles.core.mongo.Documents;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.queue.QueueWorker;
import io.truffles.core.queue.StageWorkers;
import io.truffles.core.redaction.KnownSecrets;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.spend.HeldCapacity;
import io.truffles.core.spend.SpendKind;
import io.truffles.core.spend.SpendLedger;
import io.truffles.core.storage.ObjectStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts the agent stage: cleans what a crashed runner left, then claims queued agentSessions up to the live
 * {@code maxConcurrentAgents}, and follows open pull requests to merged or closed.
 */
@ApplicationScoped
public class AgentRunnerService {
    private static final Logger LOG = Logger.getLogger(AgentRunnerService.class);

    private final AgentRunnerConfig config;
    private final TrufflesConfig truffles;
    private final Documents documents;
    private final IssueStore issues;
    private final AgentSessionStore agents;
    private final StageWorkers workers;
    private final LiveSettings settings;
    private final GitHubClient github;
    private final Clock clock;
    private final ObjectStorage storage;
    private final AgentReadiness readiness;
    private volatile QueueWorker<AgentSession> worker;
    private volatile boolean following;
    private volatile Instant rateLimitedUntil = Instant.MIN;
    private final SpendLedger spend;

    AgentRunnerService(AgentRunnerConfig config, TrufflesConfig truffles, Documents documents, IssueStore issues,
            AgentSessionStore agents, StageWorkers workers, LiveSettings settings, GitHubClient github, Clock clock,
            ObjectStorage storage, AgentReadiness readiness) {
        this.config = config;
        this.truffles = truffles;
        this.documents = documents;
        this.issues = issues;
        this.agents = agents;
        this.workers = workers;
        this.settings = settings;
        this.github = github;
        this.clock = clock;
        this.storage = storage;
        this.readiness = readiness;
        this.spend = new SpendLedger(documents, clock, settings::current);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        Path cli = ClaudeCli.resolve(config.claudeCli());
        Optional<String> missing = ClaudeCli.problem(cli);
        if (missing.isPresent()) {
            refuse(missing.get());
            return;
        }
        Optional<Path> clone = truffles.agents().repoClonePath();
        Optional<Path> base = truffles.agents().worktreeBasePath();
        if (clone.isEmpty() || base.isEmpty()) {
            LOG.warn("REPO_CLONE_PATH and WORKTREE_BASE_PATH must both be set for agents to run; the agent-runner "
                    + "claims nothing until they are");
            return;
        }
        if (truffles.anthropic().apiKey().isEmpty()) {
            LOG.warn("ANTHROPIC_API_KEY is not set: agents will fail with Claude Code's \"Not logged in\"");
        }
        PrivateGitConfig.install(truffles.dataDir().resolve("agent-runner").resolve("git-home"));
        Worktrees worktrees = new Worktrees(clone.get(), base.get());
        reportAbandonedPhases();
        QueueStage stage = QueueStage.AGENT.withLeaseTtl(config.leaseTtl()).withRetries(QueueStage.AGENT.maxAttempts(),
                config.retryBackoff(), QueueStage.AGENT.backoffMax());
        worktrees.cleanStale(heldElsewhere());
        Optional<AgentUser> user = AgentUser.runnerIsRoot() ? AgentUser.lookup(config.agentUser()) : Optional.empty();
        if (AgentUser.runnerIsRoot() && user.isEmpty()) {
            LOG.errorf("The runner is root and user %s does not exist: create it (useradd --system %s) so agents "
                    + "do not run as root", config.agentUser(), config.agentUser());
            return;
        }
        SandboxCommand sandbox = new SandboxCommand(SandboxCommand.findBwrap(), user, ResourceLimits.defaults(),
                config.toolchainPaths().orElse(List.of()));
        if (!sandbox.sandboxAvailable()) {
            LOG.warn("bubblewrap (bwrap) is NOT installed: agents will run UNSANDBOXED (marked sandboxed: false)");
        }
        ClaudeOptions options = new ClaudeOptions(cli, config.model(), config.maxTurns(), config.maxBudgetUsd(),
                config.anthropicBaseUrl());
        Optional<String> exposure = SandboxExposure.problem(sandbox, options.installFolder(), truffles.dataDir(),
                clone.get(), config.runDir());
        if (exposure.isPresent()) {
            refuse(exposure.get());
            return;
        }
        AgentUsers users = user.isPresent() && config.uidBase() > 0
                ? new AgentUsers(user, config.uidBase(), AgentUsers.DEFAULT_SIZE) : AgentUsers.shared(user);
        LOG.infof("Agent resource caps: prlimit per process, %s%s", user.isPresent() && config.uidBase() > 0
                ? "a uid of its own per agent (from " + config.uidBase() + ")" : "one uid shared by all agents",
                sandbox.scoped() ? ", a systemd scope per agent (MemoryMax, TasksMax)" : " (no systemd scope here)");
        PhasedAgent agent = new PhasedAgent(sandbox, users, options, config.runDir());
        String pushUrl = config.pushUrl().orElseGet(() -> "https://github.com/"
                + truffles.github().repo().orElse("unset/unset") + ".git");
        AgentJob job = new AgentJob(documents, worktrees, agent, github,
                truffles.anthropic().apiKey().map(Secret::reveal), truffles.github().token().map(Secret::reveal),
                pushUrl, config.dashboardUrl(),
                () -> Duration.of(valueOr(settings.current().agentTimeoutMinutes, 15), config.timeoutUnit()),
                stage, clock, new VideoFrames(storage, "ffmpeg"), KnownSecrets.of(truffles), config.stepTimeout(),
                spend, () -> settings.current().agentRunBudgetUsd);
        settings.onChange(now -> LOG.infof("Agents: at most %d at once, each timing out after %d %s",
                valueOr(now.maxConcurrentAgents, 1), valueOr(now.agentTimeoutMinutes, 15),
                config.timeoutUnit().toString().toLowerCase(Locale.ROOT)));
        // with the day's or the month's agent budget reached none is claimed: queued agents stay queued (the api
        // shows why), running ones finish under their per-run cap
        worker = workers.start("agent-runner", stage, AgentSession.class, job, new HeldCapacity(spend,
                SpendKind.agents, settings::current, now -> valueOr(now.maxConcurrentAgents, 1)));
        following = true;
    }

    /** Agents are not started: one line in the log, the readiness check DOWN with it; queued agents stay queued. */
    private void refuse(String sentence) {
        LOG.error(sentence);
        readiness.refuse(sentence);
    }

    /** Agents running now. */
    public int running() {
        QueueWorker<AgentSession> current = worker;
        return current == null ? 0 : current.inFlight();
    }

    /** Every {@code PR_POLL_INTERVAL}, once the runner has started its worker. */
    @Scheduled(every = "${agent-runner.pr-poll-interval}", delayed = "${agent-runner.pr-poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void followPullRequestsWhenStarted() {
        if (following) {
            followPullRequests();
        }
    }

    /**
     * Moves issues whose PR was merged or closed on GitHub. At a rate limit the round stops, and no call is made
     * before the time GitHub named ({@code retry-after} / {@code x-ratelimit-reset}).
     */
    public void followPullRequests() {
        if (!github.configured() || clock.instant().isBefore(rateLimitedUntil)) {
            return;
        }
        for (Issue issue : documents.issues().find(eq("status", IssueStatus.pr_open.name()))) {
            if (issue.prNumber == null) {
                continue;
            }
            try {
                PullRequestState state = github.state(issue.prNumber);
                Move moved = switch (state) {
                    case OPEN -> null;
                    case MERGED -> issues.markMerged(issue.id);
                    case CLOSED_UNMERGED -> issues.markPrClosed(issue.id);
                };
                if (moved != null && !moved.moved()) {
                    LOG.infof("PR #%d is %s on GitHub: %s", issue.prNumber, state, moved.refusal());
                }
            } catch (GitHubException e) {
                LOG.warnf("Following PR #%d of issue %s: %s", issue.prNumber, issue.id, e.getMessage());
                if (e.retryAt().isPresent()) {
                    rateLimitedUntil = e.retryAt().get();
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warnf("Following PR #%d of issue %s failed: %s", issue.prNumber, issue.id, e.getMessage());
            }
        }
    }

    /**
     * An agent shows its phase ({@code verifying} … {@code reviewing}) in {@code status}; the phases are held statuses
     * of the agent stage, so an agent whose runner died mid-phase is claimed again once its lease runs out (or failed
     * for good when that was its last attempt). This only says how many a restart finds.
     */
    private void reportAbandonedPhases() {
        try {
            // leases are in the database server's time (core's ServerClock), whatever this host's clock says
            long abandoned = agents.abandonedMidPhase(workers.serverClock().instant());
            if (abandoned > 0) {
                LOG.infof("%d agent(s) whose runner stopped mid-phase are claimable again", abandoned);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Looking for agents abandoned mid-phase failed: %s", e.getMessage());
        }
    }

    /** Agents whose lease another live runner holds: their worktrees are not stale. */
    private List<String> heldElsewhere() {
        List<String> ids = new ArrayList<>();
        documents.agentSessions().find(gt("lease.until", workers.serverClock().instant()))
                .forEach(s -> ids.add(s.id.toHexString()));
        return ids;
    }

    private static int valueOr(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    void onStop(@Observes ShutdownEvent event) {
        following = false;
    }
}
