package io.truffles.e2e;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.e2e.ChaosRecordings.Planned;
import io.truffles.e2e.ChaosRecordings.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.awaitility.core.ConditionTimeoutException;
import org.bson.types.ObjectId;

/**
 * What must hold after recordings went through a {@link StoodInStack}, whatever happened on the way (kills, several
 * workers): checked on every document, stored video, pull request and process, each check adding a line to the report.
 */
final class FlowInvariants {
    private static final String CRASH_HANDLER = "chrome_crashpad_handler";
    static final Set<AgentStatus> ENDED = Set.of(AgentStatus.done, AgentStatus.failed, AgentStatus.false_alarm);

    /** How long nothing may change before the flow counts as stuck: a restart under load plus a lease's expiry. */
    static final Duration STALLED = Duration.ofMinutes(2);

    private final StoodInStack flow;
    private final Documents documents;
    private final List<Planned> planned;
    private final List<String> report;

    FlowInvariants(StoodInStack flow, Documents documents, List<Planned> planned, List<String> report) {
        this.flow = flow;
        this.documents = documents;
        this.planned = planned;
        this.report = report;
    }

    /**
     * Waits until every recording is a session that ended and no issue or agent is at work, for as long as the work
     * moves: it fails once no session, issue or agent has changed status for {@code stalled} (a killed worker's lease
     * is taken over in 15 s, and one render, analysis or agent run takes seconds), or after {@code limit} in all (work
     * that keeps changing without ending, such as a job passed back and forth for ever). So a loaded machine or a
     * larger run only waits longer while it still gets somewhere, and a stuck flow fails as soon as it stops.
     */
    void awaitEverythingEnded(Duration stalled, Duration limit) {
        AtomicReference<String> last = new AtomicReference<>("");
        AtomicReference<Instant> moved = new AtomicReference<>(Instant.now());
        try {
            await().atMost(limit).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsMatching(unavailable -> !(unavailable instanceof Stalled)).until(() -> {
                        String now = statuses();
                        if (!now.equals(last.getAndSet(now))) {
                            moved.set(Instant.now());
                        } else if (Duration.between(moved.get(), Instant.now()).compareTo(stalled) > 0) {
                            throw new Stalled("no session, issue or agent changed status for " + stalled);
                        }
                        return documents.sessions().countDocuments(in("status", "complete", "failed"))
                                >= planned.size()
                                // queued is where an issue rests when its severity is not fixed automatically
                                && documents.issues().countDocuments(in("status", "detected", "screening",
                                "fixing")) == 0
                                && documents.agentSessions().countDocuments(in("status", "queued", "starting",
                                "verifying", "planning", "coding", "reviewing")) == 0;
                    });
        } catch (ConditionTimeoutException | Stalled stuck) {
            report.add("NOT ENDED (" + stuck.getMessage() + "): sessions " + lines(documents.sessions().find(),
                    s -> s.posthogSessionId + "=" + s.status + (s.lastError == null ? "" : " (" + s.lastError + ")"))
                    + "; issues " + lines(documents.issues().find(), i -> i.title + "=" + i.status) + "; agents "
                    + lines(documents.agentSessions().find(), a -> a.issueId + "=" + a.status
                    + (a.lastError == null ? "" : " (" + a.lastError + ")")) + "; listed by PostHog "
                    + planned.stream().filter(p -> flow.posthog.publishedAt(p.recording().id()) != null).count());
            throw stuck;
        }
    }

    /**
     * The most a run of {@code recordings} may take to end: each recording's whole flow (render, analysis, an agent
     * run, each seconds long) one after another, at a minute each to allow for a loaded machine and retried work.
     */
    static Duration oneAfterAnother(int recordings) {
        return Duration.ofMinutes(recordings);
    }

    /** The status of every session, issue and agent run: what changes while the flow gets somewhere. */
    private String statuses() {
        StringBuilder all = new StringBuilder();
        documents.sessions().find().forEach(s -> all.append(s.id).append('=').append(s.status).append(' '));
        documents.issues().find().forEach(i -> all.append(i.id).append('=').append(i.status).append(' '));
        documents.agentSessions().find().forEach(a -> all.append(a.id).append('=').append(a.status).append(' '));
        return all.toString();
    }

    /** The flow stopped getting anywhere before it ended. */
    private static final class Stalled extends RuntimeException {
        Stalled(String message) {
            super(message);
        }
    }

    /** Every recording is one session: complete, or failed with a reason when it was made broken. */
    Map<String, Session> sessionsEndedOnce() {
        Map<String, Session> sessions = new HashMap<>();
        for (Planned recording : planned) {
            List<Session> found = documents.sessions().find(eq("posthogSessionId", recording.recording().id()))
                    .into(new ArrayList<>());
            assertThat(found).as("sessions of %s", recording.recording().id()).hasSize(1);
            Session session = found.get(0);
            if (recording.variant().broken()) {
                assertThat(session.status).as("%s (%s)", session.posthogSessionId, recording.variant())
                        .isEqualTo(SessionStatus.failed);
                assertThat(session.lastError).as(session.posthogSessionId).isNotBlank();
            } else {
                assertThat(session.status).as("%s: %s", session.posthogSessionId, session.lastError)
                        .isEqualTo(SessionStatus.complete);
            }
            sessions.put(recording.recording().id(), session);
        }
        assertThat(documents.sessions().countDocuments()).isEqualTo(planned.size());
        report.add("checked: " + planned.size() + " recordings are " + planned.size() + " sessions ("
                + planned.stream().filter(p -> !p.variant().broken()).count() + " complete, "
                + planned.stream().filter(p -> p.variant().broken()).count() + " broken ones failed with a reason)");
        return sessions;
    }

    /** One video per session: exactly one MP4 stored for it, and it is the video its session describes. */
    void oneVideoPerSession(Map<String, Session> sessions) throws Exception {
        Path objects = flow.data.resolve("s3").resolve("objects");
        List<Path> mp4s;
        try (Stream<Path> files = Files.walk(objects)) {
            mp4s = files.filter(f -> f.getFileName().toString().endsWith(".mp4")).toList();
        }
        for (Planned recording : planned) {
            String id = recording.recording().id();
            List<Path> videos = mp4s.stream().filter(f -> f.toString().contains("/sessions/" + id + "/")).toList();
            if (recording.variant().broken()) {
                assertThat(videos).as("videos of broken %s", id).isEmpty();
                continue;
            }
            assertThat(videos).as("videos of %s", id).hasSize(1);
            assertThat(videoSeconds(videos.get(0))).as("the stored video of %s is the one its session describes", id)
                    .isCloseTo(sessions.get(id).videoDuration, Offset.offset(0.25));
        }
        report.add("checked: every complete session has exactly one stored MP4, as long as its session's "
                + "videoDuration says; broken ones have none");
    }

    /** Every problem is one issue, counting each session and user that showed it once. */
    List<Issue> oneIssuePerProblem(Map<String, Session> sessions) {
        List<Issue> issues = documents.issues().find().into(new ArrayList<>());
        issues.stream().filter(i -> i.fingerprint != null).collect(Collectors.groupingBy(i -> i.fingerprint))
                .forEach((fingerprint, same) -> assertThat(same).as("issues of fingerprint " + fingerprint)
                        .hasSize(1));
        for (Issue issue : issues) {
            List<ObjectId> occurred = issue.occurrences == null ? List.of()
                    : issue.occurrences.stream().map(o -> o.sessionId).toList();
            assertThat(occurred).as("occurrences of %s", issue.title).doesNotHaveDuplicates();
            assertThat(issue.sessionCount).as("sessionCount of %s", issue.title).isEqualTo(occurred.size());
        }
        for (Problem problem : Problem.values()) {
            List<Planned> showing = planned.stream().filter(p -> p.variant().problems.contains(problem)).toList();
            if (showing.isEmpty()) {
                continue;
            }
            List<Issue> matching = issues.stream().filter(i -> problem.titles(i.title)).toList();
            assertThat(matching).as("issues of %s among %s", problem, issues.stream().map(i -> i.title).toList())
                    .hasSize(1);
            Issue issue = matching.get(0);
            Set<ObjectId> expected = showing.stream().map(p -> sessions.get(p.recording().id()).id)
                    .collect(Collectors.toSet());
            assertThat(issue.occurrences.stream().map(o -> o.sessionId).collect(Collectors.toSet()))
                    .as("sessions of %s", problem).isEqualTo(expected);
            long users = showing.stream().map(p -> p.recording().distinctId()).distinct().count();
            assertThat(issue.userCount).as("users of %s", problem).isEqualTo((int) users);
            report.add(String.format("checked: %s is one issue (%s, %s) seen in %d sessions by %d users", problem,
                    issue.severity, issue.status, expected.size(), users));
        }
        report.add("checked: " + issues.size() + " issues, one per fingerprint, no session counted twice");
        return issues;
    }

    /** Every queued issue has exactly one agent run, ended, and at most one PR: the one on the issue. */
    List<AgentSession> oneEndedAgentAndAtMostOnePrPerQueuedIssue(List<Issue> issues) {
        List<AgentSession> agents = documents.agentSessions().find().into(new ArrayList<>());
        Map<ObjectId, List<AgentSession>> byIssue = agents.stream().collect(Collectors.groupingBy(a -> a.issueId));
        int queued = 0;
        for (Issue issue : issues) {
            if (!(issue.severity == Severity.red && issue.status != IssueStatus.false_alarm
                    || byIssue.containsKey(issue.id))) {
                continue;
            }
            queued++;
            List<AgentSession> runs = byIssue.getOrDefault(issue.id, List.of());
            assertThat(runs).as("agent runs of %s", issue.title).hasSize(1);
            AgentSession run = runs.get(0);
            assertThat(ENDED).as("%s: %s", issue.title, run.status).contains(run.status);
            List<GitHubStandIn.PullRequest> prs = flow.github.pulls().stream()
                    .filter(pr -> Objects.equals(pr.head(), issue.prBranch)).toList();
            assertThat(prs).as("PRs of %s", issue.title).hasSizeLessThanOrEqualTo(1);
            if (run.status == AgentStatus.done) {
                assertThat(issue.status).as(issue.title).isEqualTo(IssueStatus.pr_open);
                assertThat(prs).as("PRs of %s", issue.title).hasSize(1);
                assertThat(issue.prNumber).as(issue.title).isEqualTo(prs.get(0).number());
            }
        }
        assertThat(queued).as("red issues got agents").isPositive();
        assertThat(flow.github.createAttempts().stream().collect(Collectors.groupingBy(head -> head,
                Collectors.counting()))).as("PR create calls per branch")
                .allSatisfy((head, count) -> assertThat(count).as(head).isOne());
        report.add(String.format("checked: %d queued issues, each one agent run that ended (%s), %d PRs, never a "
                        + "second create for a branch", queued,
                agents.stream().collect(Collectors.groupingBy(a -> a.status, Collectors.counting())),
                flow.github.pulls().size()));
        return agents;
    }

    /** No worktree, ffmpeg, claude or sandbox left; Chromium only a live renderer's (its warm browser). */
    void nothingLeftBehind(Set<Long> liveServices) throws Exception {
        try (Stream<Path> left = Files.list(flow.repos.worktreeBase())) {
            assertThat(left.toList()).as("worktrees left").isEmpty();
        }
        assertThat(LocalRepos.git(flow.repos.cloneDir(), "worktree", "list").lines().count())
                .as("git worktree list").isOne();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<StackProcesses.Process> stray = StackProcesses.of(flow.data, flow.work).stream()
                    .filter(p -> p.is("ffmpeg") || p.is("claude") || p.is("bwrap")
                            // a crash handler detaches into a session of its own and ends with its browser
                            || p.is("chrom") && !p.is(CRASH_HANDLER) && !StackProcesses.belongsTo(p, liveServices))
                    .toList();
            assertThat(stray).as("processes left behind:%s", StackProcesses.describe(stray)).isEmpty();
        });
        report.add("checked: no worktree, no ffmpeg, claude or sandbox process, no Chromium but a live renderer's "
                + "(its crash handlers, which detach into sessions of their own, are checked after down)");
    }

    /** After {@code ./truffles down}, no process of the stack is left at all: orphans of killed processes included. */
    void nothingLeftAfterDown() throws Exception {
        TrufflesStack.Run down = flow.stack.truffles("down");
        assertThat(down.exitCode()).as(down.describe()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<StackProcesses.Process> left = StackProcesses.of(flow.data, flow.work);
            assertThat(left).as("processes left after down:%s", StackProcesses.describe(left)).isEmpty();
        });
        report.add("checked: after ./truffles down no process of the stack is left (Chromium's crash handlers too)");
    }

    private static <T> List<String> lines(Iterable<T> documents, Function<T, String> line) {
        List<String> lines = new ArrayList<>();
        documents.forEach(document -> lines.add(line.apply(document)));
        return lines;
    }

    static double videoSeconds(Path mp4) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "default=noprint_wrappers=1:nokey=1", mp4.toString()).redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes()).trim();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Double.parseDouble(out);
    }
}
