package io.truffles.agentrunner.job;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bounded output log, written to a real (embedded) MongoDB. */
class OutputLogTest {
    static TestDatabase db;

    @BeforeAll
    static void start() {
        db = TestDatabase.start();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private AgentSession agent() {
        return AgentFixtures.queue(db.documents(), "Flood");
    }

    private List<OutputEntry> logOf(AgentSession agent) {
        return db.documents().agentSessions().find(eq("_id", agent.id)).first().outputLog;
    }

    private OutputLog log(AgentSession agent) {
        return new OutputLog(change -> db.documents().agentSessions().updateOne(eq("_id", agent.id), change),
                Clock.systemUTC());
    }

    @Test
    void beyondTheCapLinesAreCountedInOneMarkerAndEachPhasesResultIsStillKept() {
        AgentSession agent = agent();
        OutputLog log = log(agent);
        int flood = OutputLog.MAX_ENTRIES + 2_500;
        for (int i = 0; i < flood; i++) {
            log.append("verifying", "{\"type\":\"assistant\",\"n\":" + i + "}");
        }
        log.append("verifying", "{\"type\":\"result\",\"subtype\":\"success\",\"total_cost_usd\":0.1}");
        log.flush();
        log.append("planning", "{\"type\":\"assistant\",\"n\":\"late\"}");
        log.append("planning", "{\"type\":\"result\",\"subtype\":\"success\",\"total_cost_usd\":0.2}");
        log.flush();

        List<OutputEntry> stored = logOf(agent);
        assertThat(stored).hasSize(OutputLog.MAX_ENTRIES + 3);
        assertThat(stored.get(OutputLog.MAX_ENTRIES - 1).content).contains("\"n\":" + (OutputLog.MAX_ENTRIES - 1));
        assertThat(stored).filteredOn(e -> e.content.contains("entries dropped")).singleElement()
                .satisfies(marker -> assertThat(marker.content).startsWith("… 2501 entries dropped"));
        assertThat(stored.get(stored.size() - 2).content).contains("0.1");
        assertThat(stored.get(stored.size() - 1).content).contains("0.2");
        assertThat(stored.get(stored.size() - 1).phase).isEqualTo("planning");
    }

    @Test
    void aRetriedAttemptAppendsAfterTheEarlierAttemptsEntriesAndTheyCountTowardsTheCap() {
        AgentSession agent = agent();
        OutputLog first = log(agent);
        for (int i = 0; i < OutputLog.MAX_ENTRIES - 2; i++) {
            first.append("verifying", "{\"attempt\":1,\"n\":" + i + "}");
        }

        // the runner died: the next attempt starts a new OutputLog on the same document
        OutputLog second = new OutputLog(
                change -> db.documents().agentSessions().updateOne(eq("_id", agent.id), change), Clock.systemUTC(),
                line -> line, logOf(agent).size());
        for (int i = 0; i < 5; i++) {
            second.append("verifying", "{\"attempt\":2,\"n\":" + i + "}");
        }
        second.flush();

        List<OutputEntry> stored = logOf(agent);
        assertThat(stored.get(0).content).isEqualTo("{\"attempt\":1,\"n\":0}");
        assertThat(stored.get(OutputLog.MAX_ENTRIES - 2).content).isEqualTo("{\"attempt\":2,\"n\":0}");
        assertThat(stored.get(OutputLog.MAX_ENTRIES - 1).content).isEqualTo("{\"attempt\":2,\"n\":1}");
        assertThat(stored).hasSize(OutputLog.MAX_ENTRIES + 1);
        assertThat(stored.get(OutputLog.MAX_ENTRIES).content).startsWith("… 3 entries dropped");
    }

    @Test
    void aLongLineIsCutWithHowMuchWasCut() {
        AgentSession agent = agent();
        OutputLog log = log(agent);

        log.append("coding", "x".repeat(OutputLog.MAX_ENTRY_CHARS + 1234));

        String content = logOf(agent).get(0).content;
        assertThat(content).startsWith("x".repeat(OutputLog.MAX_ENTRY_CHARS))
                .endsWith("… [1234 more characters cut]");
    }

    @Test
    void underTheCapEveryLineIsKeptAsItIsAndNoMarkerAppears() {
        AgentSession agent = agent();
        OutputLog log = log(agent);
        for (int i = 0; i < 5; i++) {
            log.append("coding", "line " + i);
        }
        log.flush();

        assertThat(logOf(agent)).extracting(e -> e.content)
                .containsExactly("line 0", "line 1", "line 2", "line 3", "line 4");
    }
}
