package io.truffles.agentrunner.job;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.push;
import static com.mongodb.client.model.Updates.set;

import io.truffles.agentrunner.claude.AgentOutcome;
import io.truffles.agentrunner.claude.AgentPhase;
import io.truffles.agentrunner.claude.ClaudeRun;
import io.truffles.agentrunner.claude.PhasedAgent;
import io.truffles.agentrunner.github.BranchPusher;
import io.truffles.agentrunner.github.GitHubClient;
import io.truffles.agentrunner.github.GitHubException;
import io.truffles.agentrunner.github.OpenedPullRequest;
import io.truffles.agentrunner.github.PullRequestText;
import io.truffles.agentrunner.worktree.Checkout;
import io.truffles.agentrunner.worktree.Worktree;
import io.truffles.agentrunner.worktree.Worktrees;
import io.truffles.core.agents.AgentSessionStore;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Move;
import io.truffles.core.documents.Session;
import io.truffles.core.error.UnrecoverableJobException;
import io.truffles.core.falsealarms.FalseAlarmStore;
import io.truffles.core.issues.IssueStore;
import io.truffles.core.mongo.Documents;
import io.truffles.core.queue.JobContext;
import io.truffles.core.queue.JobHandler;
import io.truffles.core.queue.JobOutcome;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.redaction.EvidenceBlock;
import io.truffles.core.redaction.KnownSecrets;
import io.truffles.core.spend.SpendKind;
import io.truffles.core.spend.SpendLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.jboss.logging.Logger;

/**
 * One agentSession from claim to its end: checkout, evidence, the sandboxed agent's phases (each stream-json line
 * appended to {@code outputLog} as it arrives), then — outside the sandbox — the checks on the diff, the commit, the
 * push and the pull request; or the false alarm; or the failure. The worktree is removed whatever happens.
 */
public final class AgentJob implements JobHandler<AgentSession> {
    private static final Logger LOG = Logger.getLogger(AgentJob.class);
    /** A changed file larger than this is not read whole to look for secrets: the change is refused instead. */
    private static final long MAX_SCANNED_BYTES = 20_000_000;

    private final Documents documents;
    private final IssueStore issues;
    private final AgentSessionStore agents;
    private final FalseAlarmStore falseAlarms;
    private final Worktrees worktrees;
    private final PhasedAgent agent;
    private final GitHubClient github;
    private final Optional<String> apiKey;
    private final Optional<String> token;
    private final String pushUrl;
    private final String dashboardUrl;
    private final Supplier<Duration> timeout;
    private final QueueStage stage;
    private final Clock clock;
    private final VideoFrames frames;
    private final OutputScrubber scrubber;
    private final PullRequestText prText;
    private final Duration stepTimeout;
    private final SpendLedger spend;
    private final Supplier<Double> runBudgetUsd;

    /**
     * @param frames      takes stills of the session's video for the evidence folder; {@code null} for none
     * @param secrets     this installation's secrets, kept out of the output log, commits and pull requests
     * @param stepTimeout how long each step after the agent's CLI (diff, commit, push, PR) may take
     * @param spend        where each phase's cost is added to the day's agent spend
     * @param runBudgetUsd the live {@code agentRunBudgetUsd}, read as each agent starts; {@code null} for no cap
     */
    public AgentJob(Documents documents, Worktrees worktrees, PhasedAgent agent, GitHubClient github,
            Optional<String> apiKey, Optional<String> token, String pushUrl, String dashboardUrl,
            Supplier<Duration> timeout, QueueStage stage, Clock clock, VideoFrames frames, KnownSecrets secrets,
            Duration stepTimeout, SpendLedger spend, Supplier<Double> runBudgetUsd) {
        this.documents = documents;
        this.issues = new IssueStore(documents, clock);
        this.agents = new AgentSessionStore(documents, clock);
        this.falseAlarms = new FalseAlarmStore(documents, clock);
        this.worktrees = worktrees;
        this.agent = agent;
        this.github = github;
        this.apiKey = apiKey;
        this.token = token;
        this.pushUrl = pushUrl;
        this.dashboardUrl = dashboardUrl;
        this.timeout = timeout;
        this.stage = stage;
        this.clock = clock;
        this.frames = frames;
        this.scrubber = new OutputScrubber(secrets, worktrees.base(), worktrees.cloneDir());
        this.prText = new PullRequestText(secrets, dashboardUrl);
        this.stepTimeout = stepTimeout;
        this.spend = spend;
        this.runBudgetUsd = runBudgetUsd;
    }

    @Override
    public JobOutcome handle(JobContext<AgentSession> job) throws Exception {
        AgentSession session = job.document();
        Issue issue = documents.issues().find(eq("_id", session.issueId)).first();
        if (issue == null) {
            throw new UnrecoverableJobException("agentSession " + session.id + " names issue " + session.issueId
                    + ", which does not exist");
        }
        String id = session.id.toHexString();
        String branch = Worktrees.branchFor(issue.id.toHexString());
        // a retried attempt appends to what the attempts before it wrote: the log is append-only, and /ws/agents numbers
        // its entries by their place in it, so a dashboard that saw the first attempt neither keeps stale entries under
        // reused numbers nor misses the new attempt's first ones (ChaosIT found this with the runner killed mid-agent)
        fenced(job, set("startedAt", clock.instant()));
        Move fixing = issues.startFixing(issue.id, session.id);
        if (!fixing.moved()) {
            LOG.warnf("Agent %s works on although its issue stays where it is: %s", id, fixing.refusal());
        }
        if (Boolean.TRUE.equals(session.stopRequested)) {
            throw new UnrecoverableJobException("Agent for issue " + issue.id + " stopped on request before it started");
        }
        Worktree worktree = null;
        // the agent's placeholder key is known once its bridge opens: PhasedAgent keeps it out of the lines
        int written = session.outputLog == null ? 0 : session.outputLog.size();
        OutputLog output = new OutputLog(change -> fenced(job, change), clock, scrubber::scrub, written);
        try {
            String base = worktrees.fetchDefaultBranch();
            worktree = worktrees.create(id, branch, base);
            EvidenceFolder.exclude(worktree.commonDir());
            Session found = issue.sessionId == null ? null
                    : documents.sessions().find(eq("_id", issue.sessionId)).first();
            Path evidence = EvidenceFolder.write(worktree.path(), issue, found, frames);
            // the public feed shows where the checkout is relative to WORKTREE_BASE_PATH, never the host's path
            fenced(job, set("worktreePath", scrubber.scrub(worktree.path().toString())), set("branchName", branch),
                    set("sandboxed", agent.sandboxed()));
            if (!agent.sandboxed()) {
                LOG.warnf("agentSession %s runs WITHOUT bubblewrap: install bubblewrap to sandbox agents", id);
            }
            job.ensureLease();
            Double runCap = runBudgetUsd.get();
            AgentOutcome outcome = agent.run(worktree, apiKey.orElse(null), evidence, issueBlock(issue),
                    timeout.get(), runCap == null ? OptionalDouble.empty() : OptionalDouble.of(runCap),
                    () -> stopRequested(session), listener(job, output));
            output.flush();
            job.ensureLease();
            if (outcome instanceof AgentOutcome.FalseAlarm alarm) {
                return falseAlarm(issue, alarm);
            }
            if (outcome instanceof AgentOutcome.Failed failed) {
                return failed(job, issue, failed);
            }
            return openPullRequest(job, issue, worktree, base, (AgentOutcome.Fixed) outcome,
                    new StepDeadline(stepTimeout, () -> stopRequested(session), clock));
        } finally {
            if (worktree != null || worktrees.pathOf(id).toFile().exists()) {
                try {
                    worktrees.remove(id, branch);
                } catch (RuntimeException e) {
                    LOG.errorf("Could not remove worktree of agentSession %s: %s", id, e.getMessage());
                }
            }
        }
    }

    /**
     * Outside the sandbox, each step under {@code steps}' deadline: what changed (FIFOs, sockets and device nodes left
     * out: they are never read), the refusals (files that run on a reviewer's machine, known secrets in the content),
     * the commit, the push and the PR, whose text is made inert.
     */
    private JobOutcome openPullRequest(JobContext<AgentSession> job, Issue issue, Worktree worktree, String base,
            AgentOutcome.Fixed fixed, StepDeadline steps) throws Exception {
        try (Checkout checkout = new Checkout(worktree)) {
            List<String> unsupported = steps.run("listing the checkout", checkout::unsupportedFiles);
            List<String> files = new ArrayList<>(steps.run("git status", checkout::changedFiles));
            files.removeAll(unsupported);
            if (files.isEmpty()) {
                return failed(job, issue, new AgentOutcome.Failed("The agent reported a fix but changed no file",
                        ClaudeRun.Ending.EXITED, fixed.costUsd()));
            }
            List<String> forbidden = files.stream().filter(ReviewerMachineFiles::refused).toList();
            if (!forbidden.isEmpty()) {
                throw new UnrecoverableJobException("The agent changed files it must not touch (they run on a "
                        + "reviewer's machine or in CI): " + forbidden + "; nothing was committed or pushed");
            }
            steps.run("the secret scan", () -> refuseSecrets(worktree, files));
            List<String> flags = steps.run("reading scripts and Makefiles", () -> ReviewerMachineFiles.flags(files,
                    checkout::contentAtHead, path -> readText(worktree.path().resolve(path))));
            steps.run("git commit", () -> checkout.commit(commitMessage(issue, fixed),
                    new PersonIdent("Truffles", "truffles@users.noreply.github.com"), files));
            steps.run("git push", () -> {
                BranchPusher.push(checkout, pushUrl, worktree.branch(), token);
                return null;
            });
            OpenedPullRequest pr;
            try {
                pr = steps.run("opening the pull request", () -> github.openPullRequest(worktree.branch(), base,
                        prText.title("Fix: " + issue.title), prBody(job.document(), issue, fixed, files, unsupported,
                                flags)));
            } catch (GitHubException e) {
                if (!e.retryable()) {
                    throw new UnrecoverableJobException(e.getMessage(), e);
                }
                throw e;
            }
            Move prOpen = issues.markPrOpen(issue.id, job.claim().id(), pr.number(), pr.url(),
                    worktree.branch());
            if (!prOpen.moved()) {
                LOG.warnf("Pull request #%d is open, but its issue stays where it is: %s", pr.number(),
                        prOpen.refusal());
            }
            return JobOutcome.moveTo(AgentStatus.done, set("prNumber", pr.number()), set("prUrl", pr.url()),
                    set("filesModified", files), set("costUsd", fixed.costUsd()), set("completedAt", clock.instant()));
        } catch (StepDeadline.Overrun overrun) {
            return failed(job, issue, new AgentOutcome.Failed(overrun.getMessage(), overrun.stopped()
                    ? ClaudeRun.Ending.STOPPED : ClaudeRun.Ending.TIMED_OUT, fixed.costUsd()));
        }
    }

    /** A known secret in what would be committed refuses the whole change: nothing is committed or pushed. */
    private Void refuseSecrets(Worktree worktree, List<String> files) throws IOException {
        for (String file : files) {
            Path path = worktree.path().resolve(file);
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (Files.size(path) > MAX_SCANNED_BYTES) {
                throw new UnrecoverableJobException("The agent's change holds " + file + ", over "
                        + MAX_SCANNED_BYTES / 1_000_000 + " MB: too large to scan for secrets; nothing was committed "
                        + "or pushed");
            }
            Optional<String> secret = scrubber.secrets().foundIn(Files.readAllBytes(path));
            if (secret.isPresent()) {
                throw new UnrecoverableJobException("The agent's change holds the value of " + secret.get() + " in "
                        + file + "; nothing was committed or pushed");
            }
        }
        return null;
    }

    private static String readText(Path file) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) < 1_000_000
                    ? Files.readString(file) : null;
        } catch (IOException | java.io.UncheckedIOException unreadable) {
            return null;
        }
    }

    private JobOutcome falseAlarm(Issue issue, AgentOutcome.FalseAlarm given) {
        AgentOutcome.FalseAlarm alarm = new AgentOutcome.FalseAlarm(scrubber.scrub(given.reason()), given.costUsd());
        falseAlarms.recordAgentVerdict(issue.id, issue.fingerprint != null ? issue.fingerprint : issue.title,
                alarm.reason());
        Move moved = issues.markFalseAlarmByAgent(issue.id, alarm.reason());
        if (!moved.moved()) {
            LOG.warnf("The agent found a false alarm, but its issue stays where it is: %s", moved.refusal());
        }
        return JobOutcome.moveTo(AgentStatus.false_alarm, set("falseAlarmReason", alarm.reason()),
                set("costUsd", alarm.costUsd()), set("completedAt", clock.instant()));
    }

    /**
     * A failed agent is retried (the queue backs off) until its last attempt; one that cannot end otherwise (stopped,
     * no key) is not. On the last attempt the error is thrown as unrecoverable only so it is recorded as written,
     * without an exception's class name; {@link #endingForGood} then ends the issue.
     */
    private JobOutcome failed(JobContext<AgentSession> job, Issue issue, AgentOutcome.Failed failed) {
        String error = "Agent for issue " + issue.id + " failed: " + scrubber.scrub(failed.error());
        fenced(job, set("costUsd", failed.costUsd()));
        if (!failed.retryable() || job.attempt() >= stage.maxAttempts()) {
            throw new UnrecoverableJobException(error);
        }
        throw new IllegalStateException(error + " (attempt " + job.attempt() + " of " + stage.maxAttempts() + ")");
    }

    /**
     * Every way an agent fails for good ends here — its last attempt failed or timed out, it was stopped, it changed
     * excluded files, a push or GitHub error, or its runner died on its last attempt — while the agent is still held:
     * the issue it was fixing becomes {@code fix_failed} with the error, and the agentSession's failing write keeps the
     * error and its end. A runner that dies in between leaves the agent held, and it is ended again. An issue that has
     * moved on meanwhile (another agent, a PR) is left alone.
     */
    @Override
    public List<Bson> endingForGood(ObjectId id, String lastError) {
        AgentSession failing = documents.agentSessions().find(eq("_id", id)).first();
        List<Bson> ending = new ArrayList<>(List.of(set("error", lastError), set("completedAt", clock.instant())));
        if (failing != null) {
            issues.markFixFailed(failing.issueId, id, lastError);
            Bson news = agents.failedForGood(failing, lastError);
            if (news != null) {
                ending.add(news);
            }
        }
        return ending;
    }

    private PhasedAgent.Listener listener(JobContext<AgentSession> job, OutputLog output) {
        return new PhasedAgent.Listener() {
            private double recorded;

            /** Only the growth since the last phase is added: the day's spend counts each dollar once. */
            @Override
            public void spent(String model, double runCostUsd) {
                if (runCostUsd > recorded) {
                    spend.record(SpendKind.agents, model, runCostUsd - recorded);
                    recorded = runCostUsd;
                }
            }

            @Override
            public void phaseStarted(AgentPhase phase) {
                output.flush();
                if (!agents.startPhase(job.claim(), phase.status())) {
                    LOG.warnf("Agent %s did not move to %s: its lease is gone or it has ended", job.claim().id(),
                            phase.status());
                }
            }

            @Override
            public void line(AgentPhase phase, String line) {
                output.append(phase.status().name(), line);
            }
        };
    }

    private boolean stopRequested(AgentSession session) {
        AgentSession now = documents.agentSessions().find(eq("_id", session.id)).first();
        return now != null && Boolean.TRUE.equals(now.stopRequested);
    }

    private void fenced(JobContext<AgentSession> job, Bson... changes) {
        documents.agentSessions().updateOne(and(eq("_id", job.claim().id()), eq("lease.token", job.claim().token())),
                combine(combine(changes), set("updatedAt", clock.instant())));
    }

    /**
     * The issue as the agent's prompt carries it: a quoted data block (redacted, bounded, unclosable from inside),
     * never text appended to the instructions. Its title and description came from users' sessions.
     */
    private static String issueBlock(Issue issue) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", issue.title);
        data.put("description", issue.description);
        data.put("severity", issue.severity == null ? null : issue.severity.name());
        data.put("timestampSeconds", issue.timestamp);
        data.put("sessions", issue.sessionCount);
        data.put("users", issue.userCount);
        return EvidenceBlock.quote(EvidenceBlock.tree(data));
    }

    private String commitMessage(Issue issue, AgentOutcome.Fixed fixed) {
        return prText.title("Fix: " + issue.title) + "\n\n" + prText.paragraph(fixed.summary())
                + "\n\nTruffles issue " + issue.id.toHexString() + " (automated fix, reviewed by a human before merge)";
    }

    private String prBody(AgentSession session, Issue issue, AgentOutcome.Fixed fixed, List<String> files,
            List<String> unsupported, List<String> flags) {
        StringBuilder body = new StringBuilder();
        if (!flags.isEmpty()) {
            body.append("> **Warning: this change edits commands a reviewer may run** — read them before running "
                    + "anything from this branch:\n");
            flags.forEach(flag -> body.append(">\n> - ").append(prText.paragraph(flag)).append('\n'));
            body.append('\n');
        }
        body.append("## ").append(prText.title(issue.title)).append("\n\n");
        if (issue.description != null) {
            body.append(prText.paragraph(issue.description)).append("\n\n");
        }
        body.append("**Severity:** ").append(issue.severity).append("  \n");
        body.append("**Occurrences:** ").append(issue.sessionCount).append(" session(s), ").append(issue.userCount)
                .append(" user(s)  \n");
        body.append("**Agent session:** ").append(dashboardUrl).append("/agents/").append(session.id.toHexString())
                .append("\n\n");
        body.append("### What the agent changed\n\n").append(prText.paragraph(fixed.summary()))
                .append("\n\n### Files\n\n");
        files.forEach(f -> body.append("- ").append(prText.code(f)).append('\n'));
        if (!unsupported.isEmpty()) {
            body.append("\nNot committed (not regular files or symlinks): ");
            body.append(String.join(", ", unsupported.stream().map(prText::code).toList())).append('\n');
        }
        body.append(String.format(Locale.ROOT, "%n**Agent cost:** $%.4f%n%n", fixed.costUsd()));
        body.append("_Opened by Truffles. Truffles never merges: please review._\n");
        return prText.body(body.toString());
    }
}
