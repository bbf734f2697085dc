package io.truffles.agentrunner.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.error.UnrecoverableJobException;
import io.truffles.core.json.JsonMapping;
import io.truffles.core.redaction.EvidenceBlock;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What the agent reads about the issue, written into the checkout under {@value #NAME} (mounted read-only in the
 * sandbox and excluded from commits): the issue, its occurrences, the console errors and failed requests of the
 * session it was found in around the issue's moment, and stills of its video at that moment ({@link VideoFrames}).
 * The JSON files go through {@link EvidenceBlock}: redacted, bounded, and with no {@code <} or {@code >} in them, as
 * the prompt's own evidence block.
 */
public final class EvidenceFolder {
    public static final String NAME = ".truffles-evidence";
    /**
     * Console errors and failed requests this far either side of the issue's moment (session time) are its evidence;
     * a long session's others would drown them, so only their number is given.
     */
    static final double WINDOW_SECONDS = 30;
    private static final ObjectMapper JSON = JsonMapping.shared();

    private EvidenceFolder() {
    }

    public static Path write(Path checkout, Issue issue, Session session) throws IOException {
        return write(checkout, issue, session, null);
    }

    /**
     * With {@code frames} (when not null) taking stills of the session's video at the issue's timestamp. The folder
     * must not exist yet: in a fresh checkout anything there is the product repository's own, and a symlink committed
     * under this name would have the runner write wherever it points. mkdir does not follow a symlink, so the check
     * and the creation are one step.
     */
    public static Path write(Path checkout, Issue issue, Session session, VideoFrames frames) throws IOException {
        Path folder = checkout.resolve(NAME);
        try {
            Files.createDirectory(folder);
        } catch (FileAlreadyExistsException committed) {
            throw new UnrecoverableJobException("The repository has " + (Files.isSymbolicLink(folder)
                    ? "a symlink" : "a file or folder") + " at " + NAME + ", where Truffles writes the agent's "
                    + "evidence; remove it from the repository (nothing was written through it)");
        }
        List<String> stills = frames == null || session == null ? List.of()
                : frames.write(session.videoUrl, issue.timestamp, session.videoDuration, folder);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", issue.title);
        doc.put("description", issue.description);
        doc.put("severity", issue.severity);
        doc.put("timestampSeconds", issue.timestamp);
        doc.put("fingerprint", issue.fingerprint);
        doc.put("occurrences", issue.occurrences);
        doc.put("sessionCount", issue.sessionCount);
        doc.put("userCount", issue.userCount);
        doc.put("llmReasoning", issue.llmReasoning);
        doc.put("videoFrames", stills);
        Files.writeString(folder.resolve("issue.json"), EvidenceBlock.json(JSON.valueToTree(doc)));
        if (session != null) {
            // issues keep video time; errors and requests keep session time
            Double moment = issue.timestamp == null ? null
                    : VideoTimelineSegment.sessionTimeOf(session.videoTimeline, issue.timestamp);
            List<ConsoleError> errors = near(session.consoleErrors, error -> error.offsetSeconds, moment);
            List<NetworkFailure> failures = near(session.networkFailures, failure -> failure.offsetSeconds, moment);
            Map<String, Object> around = new LinkedHashMap<>();
            around.put("issueSessionSeconds", moment);
            around.put("windowSeconds", moment == null ? null : WINDOW_SECONDS);
            around.put("consoleErrors", errors);
            around.put("networkFailures", failures);
            around.put("consoleErrorsElsewhere", count(session.consoleErrors) - errors.size());
            around.put("networkFailuresElsewhere", count(session.networkFailures) - failures.size());
            Files.writeString(folder.resolve("session.json"), EvidenceBlock.json(JSON.valueToTree(around)));
        }
        return folder;
    }

    /** The entries within {@link #WINDOW_SECONDS} of {@code moment}; all of them when the issue has no moment. */
    private static <T> List<T> near(List<T> all, ToDoubleFunction<T> offset, Double moment) {
        if (all == null) {
            return List.of();
        }
        return moment == null ? all
                : all.stream().filter(entry -> Math.abs(offset.applyAsDouble(entry) - moment) <= WINDOW_SECONDS).toList();
    }

    private static int count(List<?> all) {
        return all == null ? 0 : all.size();
    }

    /** One line in the clone's info/exclude (shared by all worktrees), so the folder never shows in status. */
    public static void exclude(Path commonDir) throws IOException {
        Path exclude = commonDir.resolve("info/exclude");
        Files.createDirectories(exclude.getParent());
        String line = "/" + NAME + "/";
        String current = Files.exists(exclude) ? Files.readString(exclude) : "";
        if (!current.lines().anyMatch(line::equals)) {
            Files.writeString(exclude, current + (current.isEmpty() || current.endsWith("\n") ? "" : "\n") + line + "\n");
        }
    }
}
