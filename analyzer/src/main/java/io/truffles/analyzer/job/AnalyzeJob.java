package io.truffles.analyzer.job;

import com.mongodb.client.model.Updates;
import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.RecordingScan;
import io.truffles.analyzer.detect.SessionDataDetectors;
import io.truffles.analyzer.issues.IssueRecorder;
import io.truffles.core.config.TrufflesConfig;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueCount;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.error.UnrecoverableJobException;
import io.truffles.core.queue.JobContext;
import io.truffles.core.queue.JobHandler;
import io.truffles.core.queue.JobOutcome;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The analyzer's stage: runs the deterministic detectors over a rendered session, records what they find as
 * issues, and completes the session with its issue counts.
 */
public final class AnalyzeJob implements JobHandler<Session> {
    static final String NO_MODEL_KEY = "OPENROUTER_API_KEY is not set: only the deterministic detectors ran.";

    private final ObjectStorage storage;
    private final IssueRecorder issues;
    private final LiveSettings settings;
    private final TrufflesConfig config;

    public AnalyzeJob(ObjectStorage storage, IssueRecorder issues, LiveSettings settings, TrufflesConfig config) {
        this.storage = storage;
        this.issues = issues;
        this.settings = settings;
        this.config = config;
    }

    @Override
    public JobOutcome handle(JobContext<Session> job) throws IOException {
        Session session = job.document();
        List<Finding> findings = new ArrayList<>(SessionDataDetectors.detect(session));
        findings.addAll(scanRecording(session));
        job.ensureLease();
        List<Issue> found = issues.record(session, findings, settings.current());
        int red = (int) found.stream().filter(issue -> issue.severity == Severity.red).count();
        String skipped = config.openrouter().apiKey().isPresent() ? null : NO_MODEL_KEY;
        return JobOutcome.moveTo(SessionStatus.complete,
                Updates.set("issueCount", new IssueCount(red, found.size() - red)),
                skipped == null ? Updates.unset("modelAnalysisSkipped") : Updates.set("modelAnalysisSkipped", skipped));
    }

    private List<Finding> scanRecording(Session session) throws IOException {
        if (session.rrwebEventsUrl == null) {
            return List.of();
        }
        try (InputStream events = storage.open(session.rrwebEventsUrl)) {
            return RecordingScan.scan(events);
        } catch (NoSuchKeyException missing) {
            throw new UnrecoverableJobException("The recording of session " + session.posthogSessionId
                    + " is missing from storage (" + session.rrwebEventsUrl + "); import it again.");
        } catch (com.fasterxml.jackson.core.JsonProcessingException malformed) {
            throw new UnrecoverableJobException("The recording of session " + session.posthogSessionId
                    + " is not valid rrweb JSON: " + malformed.getOriginalMessage());
        }
    }
}
