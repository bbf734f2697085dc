package io.truffles.e2e;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.documents.Session;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import io.truffles.e2e.ChaosRecordings.Planned;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
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
    /** How far an undelivered feed entry may lie before the api's death and still count as lost with the connection. */
    private static final Duration FEED_LAG = Duration.ofSeconds(3);

    private static final long SEED = Long.getLong("chaos.seed", new Random().nextLong());
    private static final int RECORDINGS = Integer.getInteger("chaos.recordings", DEFAULT_RECORDINGS);
    private static final int KILLS_PER_SERVICE = Integer.getInteger("chaos.kills-per-service", 1);

    // kept when the run fails: the services' logs and the database are what a replay is compared with
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path data;

    private static StoodInStack flow;
    private static TrufflesStack.Run up;

    private final List<String> report = Collections.synchronizedList(new ArrayList<>());
    private final Instant begun = Instant.now();

    @BeforeAll
    static void upWithEveryPaidServiceStoodIn() throws Exception {
        System.out.printf("chaos seed: %d (replay with -Dchaos.seed=%d), %d recordings, %d kill(s) per service%n",
                SEED, SEED, RECORDINGS, KILLS_PER_SERVICE);
        flow = StoodInStack.on(data, Map.of());
        up = flow.stack.truffles("up");
    }

    @AfterAll
    static void downAndClean() throws Exception {
        if (flow != null) {
            flow.close();
        }
    }

    @Test
    void everyRecordingEndsOnceAndEveryInvariantHoldsWhileEveryProcessIsKilledAtRandom() throws Exception {
        assertThat(up.exitCode()).as(up.describe()).isZero();
        Random random = new Random(SEED);
        List<Planned> planned = new ArrayList<>(ChaosRecordings.plan(RECORDINGS, 6));
        String uri = flow.mongoUri();
        ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
        try (MongoClient client = MongoConnections.connect(uri);
                AgentFeedClient feed = new AgentFeedClient(flow.stack.api())) {
            Documents documents = MongoConnections.documents(client, uri);
            await().atMost(Duration.ofSeconds(30)).until(feed::reconnectIfClosed);
            // the dashboard reconnects whenever the api comes back
            background.scheduleWithFixedDelay(feed::reconnectIfClosed, 200, 200, TimeUnit.MILLISECONDS);
            // PostHog lists the recordings over the first part of the run, in a seeded order and rhythm; as on
            // PostHog, one listed later started later (the list is by start time, and a recording is listed from
            // its start on, so none appears behind the poller's cursor)
            List<Planned> order = new ArrayList<>(planned);
            Collections.shuffle(order, random);
            long spread = 20_000L + 1_500L * RECORDINGS;
            List<Long> delays = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                delays.add((long) (random.nextDouble() * spread));
            }
            Collections.sort(delays);
            Instant firstStart = Instant.now().minus(Duration.ofHours(3));
            for (int i = 0; i < order.size(); i++) {
                Planned recording = order.get(i).startingAt(firstStart.plusSeconds(60L * i));
                planned.set(planned.indexOf(order.get(i)), recording);
                background.schedule(() -> flow.posthog.publish(recording.recording()), delays.get(i),
                        TimeUnit.MILLISECONDS);
            }

            List<String> targets = new ArrayList<>();
            for (int i = 0; i < KILLS_PER_SERVICE; i++) {
                targets.addAll(SERVICES);
            }
            targets.add("mongo");
            targets.add("s3");
            Collections.shuffle(targets, random);
            // restarts run beside the next kills, as systemd restarts a unit whatever else is happening; a process
            // is killed again only once its last restart is done
            Map<String, java.util.concurrent.Future<?>> restarts = new HashMap<>();
            java.util.concurrent.ExecutorService restarter = Executors.newCachedThreadPool();
            try {
                for (String target : targets) {
                    Duration pause = Duration.ofMillis(1_000 + random.nextInt(5_000));
                    if (restarts.containsKey(target)) {
                        restarts.get(target).get(4, TimeUnit.MINUTES);
                    }
                    restarts.put(target, killWhileBusy(target, pause, documents, planned, restarter));
                }
                for (java.util.concurrent.Future<?> restart : restarts.values()) {
                    restart.get(4, TimeUnit.MINUTES);
                }
            } finally {
                restarter.shutdownNow();
            }

            FlowInvariants invariants = new FlowInvariants(flow, documents, planned, report);
            Instant killed = Instant.now();
            // as long as it gets somewhere: what is left after the last restart grows with the recordings and kills
            // (the long form's 50 and 17 against the short form's 15 and 7) and with the machine's load
            invariants.awaitEverythingEnded(FlowInvariants.STALLED, FlowInvariants.oneAfterAnother(RECORDINGS));
            report.add(String.format("everything ended %.1fs after the last restart (t+%.1fs)",
                    Duration.between(killed, Instant.now()).toMillis() / 1000.0,
                    Duration.between(begun, Instant.now()).toMillis() / 1000.0));
            Map<String, Session> sessions = invariants.sessionsEndedOnce();
            invariants.oneVideoPerSession(sessions);
            List<Issue> issues = invariants.oneIssuePerProblem(sessions);
            List<AgentSession> agents = invariants.oneEndedAgentAndAtMostOnePrPerQueuedIssue(issues);
            Set<Long> live = new HashSet<>();
            for (String service : SERVICES) {
                live.add(flow.jvm(service).pid());
            }
            invariants.nothingLeftBehind(live);
            checkFeed(documents, agents, feed);
            invariants.nothingLeftAfterDown();
        } finally {
            background.shutdownNow();
            report.forEach(System.out::println);
        }
    }

    /**
     * Waits at least {@code pause} and until {@code target} has work in hand (at most 30 s more), SIGKILLs the process
     * that does the work and starts it again through the launcher.
     */
    private java.util.concurrent.Future<?> killWhileBusy(String target, Duration pause, Documents documents,
            List<Planned> planned, java.util.concurrent.ExecutorService restarter) throws Exception {
        Instant earliest = Instant.now().plus(pause);
        BooleanSupplier busy = busyWith(target, documents, planned);
        boolean wasBusy;
        try {
            await().atMost(pause.plusSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !Instant.now().isBefore(earliest) && busy.getAsBoolean());
            wasBusy = true;
        } catch (org.awaitility.core.ConditionTimeoutException idle) {
            wasBusy = false;
        }
        // the launcher's shell waits for the JVM; the JVM is what dies (the OOM killer or kill -9 would hit it)
        ProcessHandle jvm = flow.jvm(target);
        String when = String.format("t+%5.1fs", Duration.between(begun, Instant.now()).toMillis() / 1000.0);
        String work = wasBusy ? "busy: " + describeWork(target, documents) : "idle";
        jvm.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !jvm.isAlive());
        return restarter.submit(() -> {
            Instant restarting = Instant.now();
            TrufflesStack.Run restart = flow.stack.truffles("restart", target);
            assertThat(restart.exitCode()).as(restart.describe()).isZero();
            report.add(String.format("kill -9 %-12s pid %-7d at %s (%s); ./truffles restart %s took %.1fs",
                    target, jvm.pid(), when, work, target,
                    Duration.between(restarting, Instant.now()).toMillis() / 1000.0));
            return null;
        });
    }

    private BooleanSupplier busyWith(String target, Documents documents, List<Planned> planned) {
        return () -> {
            try {
                return switch (target) {
                    case "poller" -> documents.sessions().countDocuments() < planned.stream()
                            .filter(p -> flow.posthog.publishedAt(p.recording().id()) != null).count();
                    case "renderer" -> documents.sessions().countDocuments(eq("status", "rendering")) > 0;
                    case "analyzer" -> documents.sessions().countDocuments(
                            and(eq("status", "analyzing"), exists("lease.owner"))) > 0;
                    case "agent-runner", "api" -> documents.agentSessions().countDocuments(in("status",
                            "starting", "verifying", "planning", "coding", "reviewing")) > 0;
                    default -> documents.sessions().countDocuments(
                            in("status", "pending", "rendering", "analyzing")) > 0;
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
            if (on.isEmpty()) {
                continue; // the api died before it sent the snapshot: this connection promised nothing
            }
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
                List<OutputEntry> log = agent.getValue();
                for (int seq = from.getOrDefault(agent.getKey(), 0); seq < log.size(); seq++) {
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
}
