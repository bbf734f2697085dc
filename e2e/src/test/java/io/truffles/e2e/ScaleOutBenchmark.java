package io.truffles.e2e;

import static com.mongodb.client.model.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import io.truffles.e2e.ChaosRecordings.Planned;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sessions per minute (listed by PostHog → complete) on the same recordings with one and with two of each worker, and
 * the CPU the stack used meanwhile. Not part of the default suite (it prints figures, asserts no speed):
 * {@code ./mvnw -B verify -pl e2e -am -Pscale-benchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=ScaleOutBenchmark -Dfailsafe.failIfNoSpecifiedTests=false}
 * ({@code -Dbenchmark.recordings=N}, default 24; without {@code it.test}, {@code -am} runs every other module's ITs
 * first). No model key: detectors only, no agents.
 */
class ScaleOutBenchmark {
    private static final int RECORDINGS = Integer.getInteger("benchmark.recordings", 24);

    @Test
    void sessionsPerMinuteWithOneAndWithTwoOfEachWorker() throws Exception {
        String one = run(1);
        String two = run(2);
        System.out.println("scale-out benchmark, " + RECORDINGS + " recordings, "
                + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("  one of each worker:  " + one);
        System.out.println("  two of each worker:  " + two);
    }

    private static String run(int instances) throws Exception {
        Path data = Files.createTempDirectory("truffles-scale-" + instances + "-");
        List<SecondWorker> seconds = new ArrayList<>();
        try (StoodInStack flow = StoodInStack.on(data, Map.of("ANTHROPIC_API_KEY", ""))) {
            TrufflesStack.Run up = flow.stack.truffles("up");
            assertThat(up.exitCode()).as(up.describe()).isZero();
            try {
                if (instances == 2) {
                    for (String worker : List.of("renderer", "analyzer", "agent-runner")) {
                        seconds.add(SecondWorker.beside(flow, worker));
                    }
                }
                List<Planned> planned = new ArrayList<>();
                Instant firstStart = Instant.now().minus(Duration.ofHours(3));
                for (Planned recording : ChaosRecordings.plan(RECORDINGS, 6)) {
                    planned.add(recording.startingAt(firstStart.plusSeconds(60L * planned.size())));
                }
                double cpuBefore = StackProcesses.cpuSeconds(data, flow.work);
                Instant listed = Instant.now();
                planned.forEach(recording -> flow.posthog.publish(recording.recording()));
                try (MongoClient client = MongoConnections.connect(flow.mongoUri())) {
                    Documents documents = MongoConnections.documents(client, flow.mongoUri());
                    await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                            documents.sessions().countDocuments(in("status", "complete", "failed")) >= RECORDINGS);
                }
                double seconds0 = Duration.between(listed, Instant.now()).toMillis() / 1000.0;
                double cpu = StackProcesses.cpuSeconds(data, flow.work) - cpuBefore;
                return String.format("%.1f sessions/min (%d in %.1f s), CPU %.0f s = %.2f cores busy on average",
                        RECORDINGS * 60 / seconds0, RECORDINGS, seconds0, cpu, cpu / seconds0);
            } finally {
                for (SecondWorker second : seconds) {
                    second.close();
                }
            }
        }
    }
}
