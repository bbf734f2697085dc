package io.truffles.agentrunner.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent reads about the issue, written into the checkout under {@value #NAME} (mounted read-only in the
 * sandbox and excluded from commits): the issue, its occurrences, and the console errors and failed requests of the
 * session it was found in, and stills of its video around the issue's moment ({@link VideoFrames}).
 */
public final class EvidenceFolder {
    public static final String NAME = ".truffles-evidence";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private EvidenceFolder() {
    }

    public static Path write(Path checkout, Issue issue, Session session) throws IOException {
        return write(checkout, issue, session, null);
    }

    /** With {@code frames} (when not null) taking stills of the session's video at the issue's timestamp. */
    public static Path write(Path checkout, Issue issue, Session session, VideoFrames frames) throws IOException {
        Path folder = Files.createDirectories(checkout.resolve(NAME));
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
        Files.writeString(folder.resolve("issue.json"), JSON.writeValueAsString(doc));
        if (session != null) {
            Map<String, Object> around = new LinkedHashMap<>();
            around.put("consoleErrors", session.consoleErrors);
            around.put("networkFailures", session.networkFailures);
            Files.writeString(folder.resolve("session.json"), JSON.writeValueAsString(around));
        }
        return folder;
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
