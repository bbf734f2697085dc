package io.truffles.analyzer.issues;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.nin;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.truffles.analyzer.detect.Finding;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Occurrence;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Settings;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.mongo.Documents;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.bson.types.ObjectId;

/**
 * Turns a session's findings into issues: one issue per problem (fingerprint), an occurrence per session that
 * showed it. A new problem is screened and, when its severity is auto-fixed, gets an agent. Every step is
 * idempotent, so analysing the same session again after a crash adds nothing twice.
 */
public final class IssueRecorder {
    /** A fixed issue that shows again is a regression: a new issue, not an occurrence of the old one. */
    private static final List<String> CLOSED = List.of(IssueStatus.merged.name());
    /** {@code modelUsed} of an issue only the deterministic detectors reported. */
    public static final String DETECTORS = "deterministic-detectors";

    private final Documents documents;
    private final Screening screening;
    private final Clock clock;

    public IssueRecorder(Documents documents, Screening screening, Clock clock) {
        this.documents = documents;
        this.screening = screening;
        this.clock = clock;
    }

    /** Records the findings of one session; returns the issues they belong to (one per fingerprint). */
    public List<Issue> record(Session session, List<Finding> findings, Settings settings) {
        List<Issue> issues = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Finding finding : findings) {
            if (seen.add(finding.fingerprint())) {
                issues.add(record(session, finding, settings));
            }
        }
        return issues;
    }

    private Issue record(Session session, Finding finding, Settings settings) {
        Instant now = clock.instant();
        Finding.ModelNote model = finding.model();
        Issue issue = documents.issues().findOneAndUpdate(
                and(eq("fingerprint", finding.fingerprint()), nin("status", CLOSED)),
                Updates.combine(
                        Updates.setOnInsert("sessionId", session.id),
                        Updates.setOnInsert("severity", finding.severity().name()),
                        Updates.setOnInsert("title", finding.title()),
                        Updates.setOnInsert("description", finding.description()),
                        Updates.setOnInsert("timestamp", videoTime(session, finding)),
                        Updates.setOnInsert("analysisSource", finding.source().name()),
                        Updates.setOnInsert("modelUsed", model == null ? DETECTORS : model.model()),
                        Updates.setOnInsert("llmReasoning", model == null ? null : model.reasoning()),
                        Updates.setOnInsert("promptVersion", model == null ? null : model.promptVersion()),
                        Updates.setOnInsert("promptTokens", model == null ? null : model.promptTokens()),
                        Updates.setOnInsert("completionTokens", model == null ? null : model.completionTokens()),
                        Updates.setOnInsert("costUsd", model == null ? null : model.costUsd()),
                        Updates.setOnInsert("status", IssueStatus.detected.name()),
                        Updates.setOnInsert("occurrences", List.of()),
                        Updates.setOnInsert("createdAt", now)),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        addOccurrence(issue, session, finding, now);
        if (issue.status == IssueStatus.detected || issue.status == IssueStatus.screening) {
            screen(issue, settings);
        }
        return documents.issues().find(eq("_id", issue.id)).first();
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
        // the $ne guard makes a second analysis of the same session a no-op
        documents.issues().updateOne(and(eq("_id", issue.id), ne("occurrences.sessionId", session.id)),
                Updates.combine(Updates.push("occurrences", occurrence), Updates.set("updatedAt", now)));
        Issue current = documents.issues().find(eq("_id", issue.id)).first();
        List<Occurrence> occurrences = current.occurrences == null ? List.of() : current.occurrences;
        long sessions = occurrences.stream().map(o -> o.sessionId).distinct().count();
        long users = occurrences.stream().map(o -> o.userId).filter(Objects::nonNull).distinct().count();
        documents.issues().updateOne(eq("_id", issue.id), Updates.combine(
                Updates.set("sessionCount", (int) sessions), Updates.set("userCount", (int) users)));
    }

    private void screen(Issue issue, Settings settings) {
        Instant now = clock.instant();
        Screening.Verdict verdict = screening.screen(issue);
        if (!verdict.passed()) {
            documents.issues().updateOne(eq("_id", issue.id), Updates.combine(
                    Updates.set("screeningPassed", false),
                    Updates.set("screeningReasoning", verdict.reasoning()),
                    Updates.set("falseAlarmReason", verdict.reasoning()),
                    Updates.set("status", IssueStatus.false_alarm.name()),
                    Updates.set("updatedAt", now)));
            return;
        }
        documents.issues().updateOne(eq("_id", issue.id), Updates.combine(
                Updates.set("screeningPassed", true),
                Updates.set("screeningReasoning", verdict.reasoning()),
                Updates.set("status", IssueStatus.queued.name()),
                Updates.set("updatedAt", now)));
        if (settings.autoFixSeverities != null && settings.autoFixSeverities.contains(issue.severity)) {
            queueAgent(issue.id, now);
        }
    }

    /** One live agent per issue: an upsert keyed on the issue and the live statuses cannot make a second. */
    private void queueAgent(ObjectId issueId, Instant now) {
        List<String> live = Arrays.stream(AgentStatus.values()).filter(AgentStatus::isLive).map(Enum::name)
                .collect(Collectors.toList());
        AgentSession agent = documents.agentSessions().findOneAndUpdate(
                and(eq("issueId", issueId), in("status", live)),
                Updates.combine(
                        Updates.setOnInsert("status", AgentStatus.queued.name()),
                        Updates.setOnInsert("attempts", 0),
                        Updates.setOnInsert("outputLog", List.of()),
                        Updates.setOnInsert("createdAt", now),
                        Updates.setOnInsert("updatedAt", now)),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        documents.issues().updateOne(eq("_id", issueId), Updates.set("agentSessionId", agent.id));
    }
}
