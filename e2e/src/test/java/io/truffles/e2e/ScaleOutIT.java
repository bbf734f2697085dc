package io.truffles.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Session;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import io.truffles.e2e.ChaosRecordings.Planned;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two renderers, two analyzers and two agent-runners (the launcher's and a second of each on its own port, as another
 * host would run it) against one database and one bucket: they share the work, and no side effect happens twice —
 * each recording one session and one video, each problem one issue, each queued issue one agent run and at most one
 * PR, each job finished by exactly one instance.
 */
class ScaleOutIT {
    private static final List<String> WORKERS = List.of("renderer", "analyzer", "agent-runner");
    private static final int RECORDINGS = 10;

    @TempDir
    static Path data;

    private static StoodInStack flow;
    private static TrufflesStack.Run up;
    private static final List<SecondWorker> seconds = new ArrayList<>();

    @BeforeAll
    static void upWithASecondOfEachWorker() throws Exception {
        flow = StoodInStack.on(data, Map.of());
        up = flow.stack.truffles("up");
        if (up.exitCode() == 0) {
            for (String worker : WORKERS) {
                seconds.add(SecondWorker.beside(flow, worker));
            }
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (SecondWorker second : seconds) {
            second.close();
        }
        if (flow != null) {
            flow.close();
        }
    }

    @Test
    void twoOfEachWorkerShareTheWorkAndNoSideEffectHappensTwice() throws Exception {
        assertThat(up.exitCode()).as(up.describe()).isZero();
        List<String> report = Collections.synchronizedList(new ArrayList<>());
        List<Planned> planned = new ArrayList<>();
        Instant firstStart = Instant.now().minus(Duration.ofHours(3));
        for (Planned recording : ChaosRecordings.plan(RECORDINGS, 4)) {
            planned.add(recording.startingAt(firstStart.plusSeconds(60L * planned.size())));
        }
        planned.forEach(recording -> flow.posthog.publish(recording.recording()));
        try (MongoClient client = MongoConnections.connect(flow.mongoUri())) {
            Documents documents = MongoConnections.documents(client, flow.mongoUri());
            FlowInvariants invariants = new FlowInvariants(flow, documents, planned, report);
            try {
                invariants.awaitEverythingEnded(FlowInvariants.STALLED, FlowInvariants.oneAfterAnother(RECORDINGS));
                Map<String, Session> sessions = invariants.sessionsEndedOnce();
                invariants.oneVideoPerSession(sessions);
                List<Issue> issues = invariants.oneIssuePerProblem(sessions);
                List<AgentSession> agents = invariants.oneEndedAgentAndAtMostOnePrPerQueuedIssue(issues);
                Set<Long> live = new HashSet<>();
                for (String service : TrufflesStack.SERVICE_PORT_VARIABLES.keySet()) {
                    live.add(flow.jvm(service).pid());
                }
                seconds.forEach(second -> live.add(second.process.pid()));
                invariants.nothingLeftBehind(live);

                long good = planned.stream().filter(p -> !p.variant().broken()).count();
                long[] renders = split("renderer", "RENDERER_PORT", "render");
                long[] analyses = split("analyzer", "ANALYZER_PORT", "analyze");
                long[] agentRuns = split("agent-runner", "AGENT_RUNNER_PORT", "agent");
                report.add(String.format("renders by instance %d + %d, analyses %d + %d, agent runs %d + %d",
                        renders[0], renders[1], analyses[0], analyses[1], agentRuns[0], agentRuns[1]));
                assertThat(renders[0] + renders[1]).as("renders finished, all instances").isEqualTo(good);
                assertThat(analyses[0] + analyses[1]).as("analyses finished, all instances").isEqualTo(good);
                assertThat(agentRuns[0] + agentRuns[1]).as("agent runs finished, all instances")
                        .isLessThanOrEqualTo(agents.size());
                // each renderer holds at most rendererConcurrency (2) sessions: with all listed at once, both render
                assertThat(renders[0]).as("renders by the launcher's renderer").isPositive();
                assertThat(renders[1]).as("renders by the second renderer").isPositive();
                for (SecondWorker second : seconds) {
                    second.close();
                }
                invariants.nothingLeftAfterDown();
            } finally {
                report.forEach(System.out::println);
            }
        }
    }

    /** Finished jobs of {@code stage} by the launcher's instance and by the second one. */
    private static long[] split(String service, String portVariable, String stage) {
        SecondWorker second = seconds.stream().filter(s -> s.service.equals(service)).findFirst().orElseThrow();
        return new long[] {SecondWorker.completions(flow.stack.port(portVariable), stage),
                SecondWorker.completions(second.port, stage)};
    }
}
