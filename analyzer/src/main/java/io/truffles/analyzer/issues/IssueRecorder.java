package io.truffles.analyzer.issues;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.nin;

import com.mongodb.client.model.Updates;
import io.truffles.analyzer.detect.Finding;
import io.truffles.core.agents.AgentSessionStore;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueEvidence;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Occurrence;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Settings;
import io.truffles.core.documents.Severity;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.issues.IssueStore;
import io.truffles.core.mongo.Documents;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.types.ObjectId;

/**
 * Turns a session's findings into issues: one issue per problem (fingerprint), an occurrence per session that
 * showed it. A new problem is screened and, when its severity is auto-fixed, gets an agent. Every step is
 * idempotent, so analysing the same session again after a crash adds nothing twice.
 */
public final class IssueRecorder {
    /** A fixed issue that shows again is a regression: a new issue, not an occurrence of the old one. */
    private static final List<String> CLOSED = IssueStatus.fixedNames();
    /** {@code modelUsed} of an issue only the deterministic detectors reported. */
    public static final String DETECTORS = "deterministic-detectors";

    private final Documents documents;
    private final IssueStore issues;
    private final AgentSessionStore agents;
    private final Screening screening;
    private final Clock clock;

    public IssueRecorder(Documents documents, Screening screening, Clock clock) {
        this.documents = documents;
        this.issues = new IssueStore(documents, clock);
        this.agents = new AgentSessionStore(documents, clock);
        this.screening = screening;
        this.clock = clock;
    }

    /** Records the findings of one session; returns the issues they belong to (one per problem). */
    public List<Issue> record(Session session, List<Finding> findings, Settings settings) throws InterruptedException {
        Map<ObjectId, Issue> issues = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Finding finding : findings) {
            if (seen.add(finding.fingerprint())) {
                Issue issue = record(session, finding, settings);
                issues.put(issue.id, issue);
            }
        }
        return new ArrayList<>(issues.values());
    }

    private Issue record(Session session, Finding finding, Settings settings) throws InterruptedException {
        Instant now = clock.instant();
        Issue issue = documents.issues().find(and(eq("fingerprint", finding.fingerprint()), nin("status", CLOSED)))
                .first();
        if (issue == null) {
            // a fixed issue that shows again is a regression: the next generation of its fingerprint
            int generation = (int) documents.issues().countDocuments(
                    and(eq("fingerprint", finding.fingerprint()), in("status", CLOSED)));
            issues.create(candidate(session, finding), generation);
            issue = documents.issues().find(
                    and(eq("fingerprint", finding.fingerprint()), eq("fingerprintGeneration", generation))).first();
        }
        addOccurrence(issue, session, finding, now);
        if (finding.severity() == Severity.red && issue.severity == Severity.yellow) {
            // friction for the first user, a blocker for this one: the problem is red (and news, once screened)
            issues.raiseToRed(issue.id, finding.severityReason());
        }
        // the session that first showed a problem walks its issue through screening; an analysis of that session
        // that crashed half way is claimed again and picks the issue up wherever it stopped
        if (session.id.equals(issue.sessionId)) {
            return finishScreening(issue, session, finding, settings);
        }
        return current(issue.id);
    }

    /**
     * detected → screening → queued or false_alarm, each step a fenced update on the status it leaves, so a step done
     * before a crash is not done twice; then the agent, when the severity is auto-fixed.
     */
    private Issue finishScreening(Issue issue, Session session, Finding finding, Settings settings)
            throws InterruptedException {
        if (issue.status == IssueStatus.detected) {
            issues.startScreening(issue.id);
            issue = current(issue.id);
        }
        if (issue.status == IssueStatus.screening) {
            Screening.Verdict verdict = screening.screen(issue, settings);
            if (verdict.duplicateOf() != null) {
                Issue duplicate = documents.issues().find(
                        and(eq("_id", verdict.duplicateOf()), nin("status", CLOSED))).first();
                if (duplicate != null) {
                    // the problem already had an issue under another fingerprint: this session is its occurrence,
                    // and the issue made for it goes (it was never more than detected/screening)
                    addOccurrence(duplicate, session, finding, clock.instant());
                    issues.dropDuplicate(issue.id);
                    return current(duplicate.id);
                }
            }
            if (verdict.passed()) {
                issues.passScreening(issue.id, verdict.reasoning());
            } else {
                issues.failScreening(issue.id, verdict.reasoning());
            }
            issue = current(issue.id);
        }
        // an agent that ran and ended has left its id: only an issue that never had one gets one, once per problem
        if (issue.status == IssueStatus.queued && issue.agentSessionId == null && settings.autoFixSeverities != null
                && settings.autoFixSeverities.contains(issue.severity)) {
            queueAgent(issue);
            issue = current(issue.id);
        }
        return issue;
    }

    /** The issue a finding would become, before screening decides its status. */
    private static Issue candidate(Session session, Finding finding) {
        Finding.ModelNote model = finding.model();
        Issue issue = new Issue();
        issue.sessionId = session.id;
        issue.fingerprint = finding.fingerprint();
        issue.severity = finding.severity();
        issue.severityReason = finding.severityReason();
        issue.title = finding.title();
        issue.description = finding.description();
        issue.timestamp = videoTime(session, finding);
        issue.analysisSource = finding.source();
        issue.modelUsed = model == null ? DETECTORS : model.model();
        issue.llmReasoning = model == null ? null : model.reasoning();
        issue.promptVersion = model == null ? null : model.promptVersion();
        issue.promptTokens = model == null ? null : model.promptTokens();
        issue.completionTokens = model == null ? null : model.completionTokens();
        issue.costUsd = model == null ? null : model.costUsd();
        issue.evidence = finding.signals().stream().map(signal -> new IssueEvidence(signal.kind(),
                VideoTimelineSegment.videoTimeOf(session.videoTimeline, signal.offsetSeconds()), signal.detail()))
                .toList();
        return issue;
    }

    private Issue current(ObjectId id) {
        return documents.issues().find(eq("_id", id)).first();
    }

    /** Findings are in session time; issues are shown on the video, whose idle stretches the renderer shortened. */
    private static double videoTime(Session session, Finding finding) {
        return VideoTimelineSegment.videoTimeOf(session.videoTimeline, finding.offsetSeconds());
    }

    private void addOccurrence(Issue issue, Session session, Finding finding, Instant now) {
        Occurrence occurrence = new Occurrence();
        occurrence.sessionId = session.id;
        occurrence.userId = session.userId;
        occurrence.timestamp = videoTime(session, finding);
        occurrence.seenAt = now;
        issues.recordOccurrence(issue.id, occurrence);
    }

    /** One live agent per issue, with the issue's title, description and severity for the runner's prompt. */
    private void queueAgent(Issue issue) {
        agents.queueAgent(issue.id,
                Updates.setOnInsert("issueTitle", issue.title),
                Updates.setOnInsert("issueDescription", issue.description),
                Updates.setOnInsert("severity", issue.severity == null ? null : issue.severity.name()));
    }
}
