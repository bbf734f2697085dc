package io.truffles.e2e;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.in;
import static io.truffles.agentrunner.claude.FakeAnthropicApi.Block.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import io.truffles.agentrunner.claude.FakeAnthropicApi;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import io.truffles.e2e.ChaosRecordings.Planned;
import io.truffles.e2e.ChaosRecordings.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jepsen-style: recordings flow from PostHog to pull requests while every service is SIGKILLed at random moments
 * (seeded; the seed is printed and {@code -Dchaos.seed=} replays the plan), and the embedded MongoDB and S3 once each;
 * what was killed is started again with {@code ./truffles restart <name>}, as an operator or systemd would. Afterwards
 * the invariants are checked on everything, and the kills and the checks are printed.
 *
 * <p>Short form in the default suite ({@value #DEFAULT_RECORDINGS} recordings, each process killed once); the long
 * form runs with {@code ./truffles test -Pchaos} ({@code chaos.recordings=50}, {@code chaos.kills-per-service=3}).
 */
class ChaosIT {
    static final int DEFAULT_RECORDINGS = 15;
    private static final List<String> SERVICES = List.of("api", "poller", "renderer", "analyzer", "agent-runner");
    private static final Set<AgentStatus> ENDED = Set.of(AgentStatus.done, AgentStatus.failed, AgentStatus.false_alarm);
    /** How far an undelivered feed entry may lie before the api's death and still count as lost with the connection. */
    private static final Duration FEED_LAG = Duration.ofSeconds(3);

    private static final long SEED = Long.getLong("chaos.seed", new Random().nextLong());
    private static final int RECORDINGS = Integer.getInteger("chaos.recordings", DEFAULT_RECORDINGS);
    private static final int KILLS_PER_SERVICE = Integer.getInteger("chaos.kills-per-service", 1);

    @TempDir
    static Path data;

    private static Path work;
    private static LocalRepos repos;
    private static PostHogStandIn posthog;
    private static FakeAnthropicApi model;
    private static GitHubStandIn github;
    private static TrufflesStack stack;
    private static TrufflesStack.Run up;

    private final List<String> report = new ArrayList<>();
    private final Instant begun = Instant.now();

    @BeforeAll
    static void upWithEveryPaidServiceStoodIn() throws Exception {
        System.out.printf("chaos seed: %d (replay with -Dchaos.seed=%d), %d recordings, %d kill(s) per service%n",
                SEED, SEED, RECORDINGS, KILLS_PER_SERVICE);
        TestAgentUser.ensure();
        work = Files.createDirectory(Path.of("/var/lib", "truffles-test-" + UUID.randomUUID()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        repos = LocalRepos.create(work);
        posthog = new PostHogStandIn();
        github = new GitHubStandIn();
        model = new FakeAnthropicApi();
        // every agent reproduces, plans, makes the same small idempotent fix and has it approved
        model.outcome("verifying", Map.of("reproducible", true, "reason", "the request answers 500"))
                .outcome("planning", Map.of("plan", "multiply by quantity"))
                .opening("coding", List.of(tool("Bash", Map.of("command",
                        "grep -q quantity src/cart.js || sed -i 's/s + i.price/s + i.price * i.quantity/' src/cart.js",
                        "description", "fix"))))
                .outcome("coding", Map.of("summary", "Count quantity"))
                .outcome("reviewing", Map.of("approved", true, "summary", "The total now counts quantity"));
        stack = TrufflesStack.on(data, Map.ofEntries(
                Map.entry("POSTHOG_API_KEY", PostHogStandIn.KEY),
                Map.entry("POSTHOG_PROJECT_ID", PostHogStandIn.PROJECT),
                Map.entry("POSTHOG_HOST", posthog.baseUrl()),
                Map.entry("POLLING_INTERVAL_SECONDS", "5"),
                Map.entry("TRUFFLES_POLLER_POSTHOG_SNAPSHOT_CALLS_PER_MINUTE", "6000"),
                Map.entry("TRUFFLES_POLLER_POSTHOG_SNAPSHOT_CALLS_PER_HOUR", "100000"),
                Map.entry("TRUFFLES_POLLER_INBOX_SAMPLES", "false"),
                // how soon a killed worker's job is taken over (the defaults, a minute or two, would only slow this)
                Map.entry("TRUFFLES_POLLER_POSTHOG_LEASE_TTL", "PT15S"),
                Map.entry("TRUFFLES_RENDERER_LEASE_TTL", "PT15S"),
                Map.entry("TRUFFLES_ANALYZER_LEASE_TTL", "PT15S"),
                Map.entry("AGENT_LEASE_TTL", "PT15S"),
                Map.entry("AGENT_RETRY_BACKOFF", "PT2S"),
                Map.entry("ANTHROPIC_API_KEY", "sk-ant-chaos-fake-key"),
                Map.entry("ANTHROPIC_BASE_URL", model.baseUrl().toString()),
                Map.entry("GITHUB_TOKEN", "ghp_chaostoken000000000000000000000000003"),
                Map.entry("GITHUB_REPO", GitHubStandIn.REPO),
                Map.entry("GITHUB_API_URL", github.baseUrl()),
                Map.entry("GIT_PUSH_URL", repos.origin().toString()),
                Map.entry("REPO_CLONE_PATH", repos.cloneDir().toString()),
                Map.entry("WORKTREE_BASE_PATH", repos.worktreeBase().toString()),
                Map.entry("MAX_CONCURRENT_AGENTS", "2")));
        up = stack.truffles("up");
    }

    @AfterAll
    static void downAndClean() throws Exception {
        if (stack != null) {
            stack.downQuietly();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {posthog, model, github}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (work != null) {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void everyRecordingEndsOnceAndEveryInvariantHoldsWhileEveryProcessIsKilledAtRandom() throws Exception {
        assertThat(up.exitCode()).as(up.describe()).isZero();
        Random random = new Random(SEED);
        List<Planned> planned = ChaosRecordings.plan(RECORDINGS, 6, Instant.now().minus(Duration.ofHours(3)));
        String uri = "mongodb://127.0.0.1:" + stack.port("EMBEDDED_MONGO_PORT") + "/truffles";
        ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
        try (MongoClient client = MongoConnections.connect(uri); AgentFeedClient feed = new AgentFeedClient(stack.api())) {
            Documents documents = MongoConnections.documents(client, uri);
            await().atMost(Duration.ofSeconds(30)).until(feed::reconnectIfClosed);
            // the dashboard reconnects whenever the api comes back
            background.scheduleWithFixedDelay(feed::reconnectIfClosed, 200, 200, TimeUnit.MILLISECONDS);
            // PostHog lists the recordings over the first part of the run, in a seeded order and rhythm
            List<Planned> order = new ArrayList<>(planned);
            Collections.shuffle(order, random);
            long spread = 20_000L + 1_500L * RECORDINGS;
            for (Planned recording : order) {
                background.schedule(() -> posthog.publish(recording.recording()),
                        (long) (random.nextDouble() * spread), TimeUnit.MILLISECONDS);
            }

            List<String> targets = new ArrayList<>();
            for (int i = 0; i < KILLS_PER_SERVICE; i++) {
                targets.addAll(SERVICES);
            }
            targets.add("mongo");
            targets.add("s3");
            Collections.shuffle(targets, random);
            for (String target : targets) {
                Duration pause = Duration.ofMillis(1_000 + random.nextInt(6_000));
                killWhileBusy(target, pause, documents, planned);
            }

            awaitEverythingEnded(documents, planned);
            checkInvariants(documents, planned, feed);
        } finally {
            background.shutdownNow();
            report.forEach(System.out::println);
        }
    }

    /**
     * Waits at least {@code pause} and until {@code target} has work in hand (at most 30 s more), SIGKILLs the process
     * that does the work and starts it again through the launcher.
     */
    private void killWhileBusy(String target, Duration pause, Documents documents, List<Planned> planned)
            throws Exception {
        Instant earliest = Instant.now().plus(pause);
        BooleanSupplier busy = busyWith(target, documents, planned);
        boolean wasBusy;
        try {
            await().atMost(pause.plusSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !Instant.now().isBefore(earliest) && busy.getAsBoolean());
            wasBusy = true;
        } catch (org.awaitility.core.ConditionTimeoutException idle) {
            wasBusy = false;
        }
        long shell = Long.parseLong(Files.readString(data.resolve("run").resolve(target + ".pid")).trim());
        // the launcher's shell waits for the JVM; the JVM is what dies (the OOM killer or kill -9 would hit it)
        ProcessHandle jvm = ProcessHandle.of(shell).orElseThrow().children()
                .filter(child -> child.info().command().orElse("").endsWith("java")).findFirst().orElseThrow();
        String when = String.format("t+%5.1fs", Duration.between(begun, Instant.now()).toMillis() / 1000.0);
        String work = wasBusy ? "busy: " + describeWork(target, documents) : "idle";
        jvm.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !jvm.isAlive());
        Instant restarting = Instant.now();
        TrufflesStack.Run restart = stack.truffles("restart", target);
        assertThat(restart.exitCode()).as(restart.describe()).isZero();
        report.add(String.format("kill -9 %-12s pid %-7d at %s (%s); ./truffles restart %s took %.1fs", target,
                jvm.pid(), when, work, target, Duration.between(restarting, Instant.now()).toMillis() / 1000.0));
    }

    private BooleanSupplier busyWith(String target, Documents documents, List<Planned> planned) {
        return () -> {
            try {
                return switch (target) {
                    case "poller" -> planned.stream().anyMatch(p -> posthog.publishedAt(p.recording().id()) != null)
                            && documents.sessions().countDocuments() < planned.stream()
                            .filter(p -> posthog.publishedAt(p.recording().id()) != null).count();
                    case "renderer" -> documents.sessions().countDocuments(eq("status", "rendering")) > 0;
                    case "analyzer" -> documents.sessions().countDocuments(
                            and(eq("status", "analyzing"), exists("lease.owner"))) > 0;
                    case "agent-runner", "api" -> documents.agentSessions().countDocuments(in("status",
                            "starting", "verifying", "planning", "coding", "reviewing")) > 0;
                    default -> documents.sessions().countDocuments(in("status", "pending", "rendering", "analyzing")) > 0;
                };
            } catch (RuntimeException unavailable) {
                return false;
            }
        };
    }

    private static String describeWork(String target, Documents documents) {
        try {
            return switch (target) {
                case "renderer" -> documents.sessions().countDocuments(eq("status", "rendering")) + " rendering";
                case "analyzer" -> documents.sessions().countDocuments(eq("status", "analyzing")) + " analyzing";
                case "agent-runner", "api" -> documents.agentSessions().countDocuments(in("status", "starting",
                        "verifying", "planning", "coding", "reviewing")) + " agent(s) working";
                case "poller" -> documents.sessions().countDocuments() + " sessions imported so far";
                default -> documents.sessions().countDocuments(in("status", "pending", "rendering", "analyzing"))
                        + " sessions in the pipeline";
            };
        } catch (RuntimeException unavailable) {
            return "(database unavailable)";
        }
    }

    private void awaitEverythingEnded(Documents documents, List<Planned> planned) {
        Instant start = Instant.now();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                documents.sessions().countDocuments(in("status", "complete", "failed")) >= planned.size()
                        && documents.issues().countDocuments(in("status", "detected", "screening", "queued",
                        "fixing")) == 0
                        && documents.agentSessions().countDocuments(in("status", "queued", "starting", "verifying",
                        "planning", "coding", "reviewing")) == 0);
        report.add(String.format("everything ended %.1fs after the last restart (t+%.1fs)",
                Duration.between(start, Instant.now()).toMillis() / 1000.0,
                Duration.between(begun, Instant.now()).toMillis() / 1000.0));
    }

    private void checkInvariants(Documents documents, List<Planned> planned, AgentFeedClient feed) throws Exception {
        // 1. every recording is one session: complete, or failed with a reason when it was made broken
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

        // 2. one video per session: exactly one MP4 stored for it, and it is the video the session describes
        Path objects = data.resolve("s3").resolve("objects");
        for (Planned recording : planned) {
            String id = recording.recording().id();
            List<Path> videos;
            try (Stream<Path> files = Files.walk(objects)) {
                videos = files.filter(f -> f.toString().contains("/sessions/" + id + "/"))
                        .filter(f -> f.getFileName().toString().endsWith(".mp4")).toList();
            }
            if (recording.variant().broken()) {
                assertThat(videos).as("videos of broken %s", id).isEmpty();
                continue;
            }
            assertThat(videos).as("videos of %s", id).hasSize(1);
            double stored = videoSeconds(videos.get(0));
            assertThat(stored).as("the stored video of %s is the one its session describes", id)
                    .isCloseTo(sessions.get(id).videoDuration, org.assertj.core.data.Offset.offset(0.25));
        }
        report.add("checked: every complete session has exactly one stored MP4, whose length is its session's "
                + "videoDuration; broken ones have none");

        // 3. every problem is one issue, counting each session and user that showed it once
        List<Issue> issues = documents.issues().find().into(new ArrayList<>());
        Map<String, List<Issue>> byFingerprint = issues.stream().filter(i -> i.fingerprint != null)
                .collect(Collectors.groupingBy(i -> i.fingerprint));
        byFingerprint.forEach((fingerprint, same) -> assertThat(same).as("issues of fingerprint " + fingerprint)
                .hasSize(1));
        for (Issue issue : issues) {
            List<ObjectId> occurred = issue.occurrences == null ? List.of()
                    : issue.occurrences.stream().map(o -> o.sessionId).toList();
            assertThat(occurred).as("occurrences of %s", issue.title).doesNotHaveDuplicates();
            assertThat(issue.sessionCount).as("sessionCount of %s", issue.title).isEqualTo(occurred.size());
        }
        for (Problem problem : Problem.values()) {
            List<Planned> showing = planned.stream().filter(p -> p.variant().problems.contains(problem)).toList();
            List<Issue> matching = issues.stream().filter(i -> problem.titles(i.title)).toList();
            assertThat(matching).as("issues of %s among %s", problem,
                    issues.stream().map(i -> i.title).toList()).hasSize(1);
            Issue issue = matching.get(0);
            Set<ObjectId> expectedSessions = showing.stream().map(p -> sessions.get(p.recording().id()).id)
                    .collect(Collectors.toSet());
            assertThat(issue.occurrences.stream().map(o -> o.sessionId).collect(Collectors.toSet()))
                    .as("sessions of %s", problem).isEqualTo(expectedSessions);
            long users = showing.stream().map(p -> p.recording().distinctId()).distinct().count();
            assertThat(issue.userCount).as("users of %s", problem).isEqualTo((int) users);
            report.add(String.format("checked: %s is one issue (%s, %s) seen in %d sessions by %d users",
                    problem, issue.severity, issue.status, expectedSessions.size(), users));
        }
        report.add("checked: " + issues.size() + " issues, one per fingerprint, no session counted twice");

        // 4. every queued issue has exactly one agent run, ended, and at most one PR, the one on the issue
        List<AgentSession> agents = documents.agentSessions().find().into(new ArrayList<>());
        Map<ObjectId, List<AgentSession>> byIssue = agents.stream().collect(Collectors.groupingBy(a -> a.issueId));
        int queuedIssues = 0;
        for (Issue issue : issues) {
            boolean queued = issue.severity == Severity.red && issue.status != IssueStatus.false_alarm
                    || byIssue.containsKey(issue.id);
            if (!queued) {
                continue;
            }
            queuedIssues++;
            List<AgentSession> runs = byIssue.getOrDefault(issue.id, List.of());
            assertThat(runs).as("agent runs of %s", issue.title).hasSize(1);
            AgentSession run = runs.get(0);
            assertThat(ENDED).as("%s: %s", issue.title, run.status).contains(run.status);
            List<GitHubStandIn.PullRequest> prs = github.pulls().stream()
                    .filter(pr -> Objects.equals(pr.head(), issue.prBranch)).toList();
            assertThat(prs).as("PRs of %s", issue.title).hasSizeLessThanOrEqualTo(1);
            if (run.status == AgentStatus.done) {
                assertThat(issue.status).isEqualTo(IssueStatus.pr_open);
                assertThat(prs).hasSize(1);
                assertThat(issue.prNumber).isEqualTo(prs.get(0).number());
            }
        }
        assertThat(queuedIssues).as("red issues got agents").isPositive();
        Map<String, Long> attempts = github.createAttempts().stream()
                .collect(Collectors.groupingBy(head -> head, Collectors.counting()));
        assertThat(attempts).as("PR create calls per branch").allSatisfy((head, count) -> assertThat(count).isOne());
        report.add(String.format("checked: %d queued issues, each one agent run that ended (%s), %d PRs, never a "
                        + "second create for a branch", queuedIssues,
                agents.stream().collect(Collectors.groupingBy(a -> a.status, Collectors.counting())),
                github.pulls().size()));

        // 5. nothing left behind: no worktree, no ffmpeg or claude, Chromium only the live renderer's warm browser
        try (Stream<Path> left = Files.list(repos.worktreeBase())) {
            assertThat(left.toList()).as("worktrees left").isEmpty();
        }
        assertThat(LocalRepos.git(repos.cloneDir(), "worktree", "list").lines().count()).as("git worktree list")
                .isOne();
        Set<Long> live = new HashSet<>();
        for (String service : SERVICES) {
            long shell = Long.parseLong(Files.readString(data.resolve("run").resolve(service + ".pid")).trim());
            live.add(shell);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<StackProcesses.Process> mine = StackProcesses.of(data, work);
            List<StackProcesses.Process> stray = mine.stream().filter(p -> p.is("ffmpeg") || p.is("claude")
                    || p.is("bwrap") || p.is("chrom") && !StackProcesses.descendsFrom(p, live)).toList();
            assertThat(stray).as("processes left behind:%s", StackProcesses.describe(stray)).isEmpty();
        });
        report.add("checked: no worktree, no ffmpeg, claude or sandbox process, no Chromium but the live renderer's");

        // 6. the dashboard's feed, through the api's deaths: no entry twice, none lost while connected
        checkFeed(documents, agents, feed);
    }

    private void checkFeed(Documents documents, List<AgentSession> agents, AgentFeedClient feed) {
        List<AgentFeedClient.Message> messages = feed.messages();
        int connections = feed.connections();
        Map<String, List<OutputEntry>> logs = new HashMap<>();
        for (AgentSession agent : agents) {
            AgentSession full = documents.agentSessions().find(eq("_id", agent.id)).first();
            logs.put(agent.id.toHexString(), full.outputLog == null ? List.of() : full.outputLog);
        }
        // the last connection catches up with every log
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (AgentSession agent : agents) {
                String id = agent.id.toHexString();
                int size = logs.get(id).size();
                Set<Integer> seen = seenSeqs(feed.messages(), id);
                assertThat(seen).as("entries of %s seen by the end", id).containsAll(
                        lastConnectionShare(feed.messages(), id, size, connections - 1));
            }
        });
        messages = feed.messages();
        Map<String, Set<Integer>> live = new HashMap<>();
        int recoveredLater = 0;
        int delivered = 0;
        for (int connection = 0; connection < connections; connection++) {
            final int c = connection;
            List<AgentFeedClient.Message> on = messages.stream().filter(m -> m.connection() == c).toList();
            assertThat(on).as("connection %d", c).isNotEmpty();
            assertThat(on.get(0).type()).as("first message of connection %d", c).isEqualTo("snapshot");
            Map<String, Integer> from = new HashMap<>();
            for (JsonNode agent : iterable(on.get(0).body().path("active"), on.get(0).body().path("queued"))) {
                from.put(agent.path("_id").asText(), agent.path("outputCount").asInt());
                for (JsonNode entry : agent.path("recentOutput")) {
                    assertSameAsLog(logs, agent.path("_id").asText(), entry);
                }
            }
            Map<String, List<Integer>> seqs = new LinkedHashMap<>();
            for (AgentFeedClient.Message message : on) {
                if (message.type().equals("output")) {
                    String id = message.body().path("agentId").asText();
                    int seq = message.body().path("seq").asInt();
                    assertThat(live.computeIfAbsent(id, k -> new HashSet<>()).add(seq))
                            .as("entry %d of agent %s arrived twice", seq, id).isTrue();
                    assertSameAsLog(logs, id, message.body());
                    seqs.computeIfAbsent(id, k -> new ArrayList<>()).add(seq);
                    delivered++;
                }
            }
            for (Map.Entry<String, List<Integer>> agent : seqs.entrySet()) {
                int first = from.getOrDefault(agent.getKey(), 0);
                List<Integer> got = agent.getValue();
                List<Integer> expected = java.util.stream.IntStream.range(first, first + got.size()).boxed().toList();
                assertThat(got).as("entries of %s on connection %d (snapshot said %d)", agent.getKey(), c, first)
                        .isEqualTo(expected);
            }
            // what was written while this connection was open, up to shortly before it broke, arrived on it
            Instant closed = feed.closedAt(c);
            for (Map.Entry<String, List<OutputEntry>> agent : logs.entrySet()) {
                List<Integer> got = seqs.getOrDefault(agent.getKey(), List.of());
                int first = got.isEmpty() ? from.getOrDefault(agent.getKey(), Integer.MAX_VALUE) : got.get(0);
                List<OutputEntry> log = agent.getValue();
                for (int seq = Math.max(0, first); seq < log.size(); seq++) {
                    Instant written = log.get(seq).timestamp;
                    boolean beforeBreak = closed == null || written.isBefore(closed.minus(FEED_LAG));
                    if (beforeBreak && written.isAfter(on.get(0).at())) {
                        assertThat(got).as("entry %d of %s, written while connection %d was open", seq,
                                agent.getKey(), c).contains(seq);
                    }
                }
            }
        }
        for (Map.Entry<String, List<OutputEntry>> agent : logs.entrySet()) {
            Set<Integer> seen = seenSeqs(messages, agent.getKey());
            recoveredLater += (int) java.util.stream.IntStream.range(0, agent.getValue().size())
                    .filter(seq -> !seen.contains(seq)).count();
        }
        report.add(String.format("checked: the feed over %d connections (%d api restarts): %d live entries, none twice,"
                        + " each the same as in the log, in order from each snapshot; %d entries written while no "
                        + "connection was open (the agent page shows them)", connections, connections - 1, delivered,
                recoveredLater));
    }

    private static Set<Integer> seenSeqs(List<AgentFeedClient.Message> messages, String agentId) {
        Set<Integer> seen = new HashSet<>();
        for (AgentFeedClient.Message message : messages) {
            if (message.type().equals("output") && message.body().path("agentId").asText().equals(agentId)) {
                seen.add(message.body().path("seq").asInt());
            } else if (message.type().equals("snapshot")) {
                for (JsonNode agent : iterable(message.body().path("active"), message.body().path("queued"))) {
                    if (agent.path("_id").asText().equals(agentId)) {
                        agent.path("recentOutput").forEach(entry -> seen.add(entry.path("seq").asInt()));
                    }
                }
            }
        }
        return seen;
    }

    /** The seqs the open last connection must deliver: from its snapshot's count (or 0 for agents after it) on. */
    private static Set<Integer> lastConnectionShare(List<AgentFeedClient.Message> messages, String agentId, int size,
            int connection) {
        int from = -1;
        for (AgentFeedClient.Message message : messages) {
            if (message.connection() == connection && message.type().equals("snapshot")) {
                for (JsonNode agent : iterable(message.body().path("active"), message.body().path("queued"))) {
                    if (agent.path("_id").asText().equals(agentId)) {
                        from = agent.path("outputCount").asInt();
                    }
                }
            } else if (message.connection() == connection && from < 0 && message.type().equals("status")
                    && message.body().path("agentId").asText().equals(agentId)
                    && message.body().path("status").asText().equals("queued")) {
                from = message.body().path("outputCount").asInt();
            }
        }
        Set<Integer> share = new HashSet<>();
        for (int seq = Math.max(0, from); from >= 0 && seq < size; seq++) {
            share.add(seq);
        }
        return share;
    }

    private static void assertSameAsLog(Map<String, List<OutputEntry>> logs, String agentId, JsonNode entry) {
        List<OutputEntry> log = logs.get(agentId);
        int seq = entry.path("seq").asInt();
        assertThat(log).as("agent %s is in the database", agentId).isNotNull();
        assertThat(seq).as("entry %d of %s is in its log", seq, agentId).isLessThan(log.size());
        assertThat(entry.path("content").asText()).as("entry %d of %s", seq, agentId)
                .isEqualTo(Objects.toString(log.get(seq).content, ""));
    }

    private static List<JsonNode> iterable(JsonNode... arrays) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode array : arrays) {
            array.forEach(all::add);
        }
        return all;
    }

    private static double videoSeconds(Path mp4) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "default=noprint_wrappers=1:nokey=1", mp4.toString()).redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes()).trim();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Double.parseDouble(out);
    }
}
