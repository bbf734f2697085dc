package io.truffles.analyzer.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.RecordingScan;
import io.truffles.analyzer.job.PluginFacts;
import io.truffles.core.documents.Session;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The labelled corpus in {@code src/test/resources/corpus/} (made by tools/rrweb-recorder, {@code node
 * record.mjs analyzer corpus}): real Chromium recordings with planted problems and calm ones, and the scoring of what the
 * detectors and the incident grouping find in them against the ground truth.
 */
public final class Corpus {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A problem is found at the right moment when a finding starts within this of when the script acted. */
    public static final double MOMENT_SECONDS = 1.0;
    public static final List<String> RECORDINGS = List.of("billing", "orders", "reports", "team", "checkout", "spa",
            "forms", "reading");

    /** One planted problem: what, when (session seconds, by the recording script's clock), on which element. */
    public record Planted(String problem, String kind, double time, String element) {
    }

    public record Recording(String name, byte[] events, boolean calm, List<Planted> problems) {
        /** The session as the poller stores it: console errors and failed requests from the plugin events. */
        public Session session() throws IOException {
            PluginFacts facts = PluginFacts.of(JSON.readTree(events));
            Session session = new Session();
            session.consoleErrors = facts.errors();
            session.networkFailures = facts.failures();
            return session;
        }

        /** The detectors and the grouping, as the analyzer runs them without models. */
        public List<Finding> findings() throws IOException {
            return IncidentGrouping.group(session(), RecordingScan.read(new ByteArrayInputStream(events),
                    RecordingScan.DEFAULT_HUNG_AFTER_MS));
        }

        public int eventCount() throws IOException {
            return JSON.readTree(events).size();
        }
    }

    /** How one recording scored. */
    public record Score(Recording recording, List<Finding> findings, List<Planted> found, List<Planted> missed,
            int issues, List<Finding> unexplained) {
    }

    private Corpus() {
    }

    public static List<Recording> load() throws IOException {
        List<Recording> recordings = new ArrayList<>();
        for (String name : RECORDINGS) {
            JsonNode truth = JSON.readTree(resource(name + ".truth.json"));
            List<Planted> problems = new ArrayList<>();
            for (JsonNode problem : truth.path("problems")) {
                problems.add(new Planted(problem.path("problem").asText(), problem.path("kind").asText(),
                        problem.path("time").asDouble(), problem.path("element").isNull() ? null
                                : problem.path("element").asText()));
            }
            recordings.add(new Recording(name, resource(name + ".rrweb.json").readAllBytes(),
                    truth.path("calm").asBoolean(), problems));
        }
        return recordings;
    }

    /**
     * A planted problem is found when a finding starts within {@link #MOMENT_SECONDS} of it on its element (any
     * element for a problem no action caused); issues are the distinct fingerprints, as the recorder files them;
     * a finding that matches no planted problem is unexplained (a false positive).
     */
    public static Score score(Recording recording, List<Finding> findings) {
        List<Planted> found = new ArrayList<>();
        List<Planted> missed = new ArrayList<>();
        List<Finding> explained = new ArrayList<>();
        for (Planted problem : recording.problems()) {
            List<Finding> matching = findings.stream().filter(finding -> matches(problem, finding)).toList();
            (matching.isEmpty() ? missed : found).add(problem);
            explained.addAll(matching);
        }
        Set<String> fingerprints = new LinkedHashSet<>();
        findings.forEach(finding -> fingerprints.add(finding.fingerprint()));
        List<Finding> unexplained = findings.stream().filter(finding -> !explained.contains(finding)).toList();
        return new Score(recording, findings, found, missed, fingerprints.size(), unexplained);
    }

    static boolean matches(Planted problem, Finding finding) {
        return Math.abs(finding.offsetSeconds() - problem.time()) <= MOMENT_SECONDS
                && (problem.element() == null || finding.element().contains(problem.element()));
    }

    /** The figures over the whole corpus, one line each, and each recording's findings. */
    public static String report(List<Score> scores) {
        int planted = 0;
        int found = 0;
        int issuesOnProblems = 0;
        int falsePositives = 0;
        int calm = 0;
        StringBuilder detail = new StringBuilder();
        for (Score score : scores) {
            if (score.recording().calm()) {
                calm++;
                falsePositives += score.issues();
            } else {
                planted += score.recording().problems().size();
                found += score.found().size();
                issuesOnProblems += score.issues();
            }
            detail.append(String.format(Locale.ROOT, "  %-9s %s: %d planted, %d found at the right moment, %d issues%n",
                    score.recording().name(), score.recording().calm() ? "(calm)" : "      ",
                    score.recording().problems().size(), score.found().size(), score.issues()));
            for (Finding finding : score.findings()) {
                detail.append(String.format(Locale.ROOT, "      %6.2f s %-6s %s%n", finding.offsetSeconds(),
                        finding.severity(), finding.title()));
            }
            for (Planted missed : score.missed()) {
                detail.append(String.format(Locale.ROOT, "      MISSED %6.2f s %s%n", missed.time(), missed.problem()));
            }
        }
        return String.format(Locale.ROOT, "Corpus: %d recordings, %d planted problems, %d calm recordings%n"
                        + "  problems found at the right moment (±%.0f s, on their element): %d of %d%n"
                        + "  issues filed per planted problem: %.2f (%d issues for %d problems; target 1.00)%n"
                        + "  false positives on calm recordings: %d (target 0)%n",
                scores.size(), planted, calm, MOMENT_SECONDS, found, planted,
                planted == 0 ? 0 : issuesOnProblems / (double) planted, issuesOnProblems, planted, falsePositives)
                + detail;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream stream = Corpus.class.getResourceAsStream("/corpus/" + name);
        if (stream == null) {
            throw new IOException("corpus file missing: " + name);
        }
        return stream;
    }
}
