package io.truffles.analyzer.issues;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.nin;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.truffles.analyzer.detect.Finding;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueEvidence;
import io.truffles.core.documents.IssueStatusChange;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Occurrence;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Settings;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.mongo.Documents;
import io.truffles.core.queue.LiveAgentUpsert;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Turns a session's findings into issues: one issue per problem (fingerprint), an occurrence per session that
 * showed it. A new problem is screened and, when its severity is auto-fixed, gets an agent. Every step is
 * idempotent, so analysing the same session again after a crash adds nothing twice.
 */
public final class IssueRecorder {
    /** A fixed issue that shows again is a regression: a new issue, not an occurrence of the old one. */
    private static final Logger LOG = Logger.getLogger(IssueRecorder.class);
    private static final List<String> CLOSED = IssueStatus.fixedNames();
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

    /**
     * The unique index that makes "one issue per problem" hold when analyzers find a new problem at the same moment:
     * the issue is created by an upsert keyed on (fingerprint, generation), which MongoDB can only insert once.
     */
    public void ensureIndexes() {
        try {
            documents.issues().createIndex(Indexes.ascending("fingerprint", "fingerprintGeneration"),
                    new IndexOptions().unique(true).name("fingerprint_generation_unique"));
        } catch (MongoException existingDuplicates) {
            // issues from before generations existed may collide (a fixed issue and its regression); they still work
            LOG.warnf("The unique index on issues' fingerprint and generation could not be created (%s); two "
                    + "analyzers finding a new problem at once could make two issues until it is.",
                    existingDuplicates.getMessage());
        }
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
            create(candidate(session, finding), generation, now);
            issue = documents.issues().find(
                    and(eq("fingerprint", finding.fingerprint()), eq("fingerprintGeneration", generation))).first();
        }
        addOccurrence(issue, session, finding, now);
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
            move(issue.id, IssueStatus.detected, IssueStatus.screening);
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
                    documents.issues().deleteOne(and(eq("_id", issue.id), eq("status", IssueStatus.screening.name())));
                    return current(duplicate.id);
                }
            }
            List<Bson> judged = new ArrayList<>(List.of(Updates.set("screeningPassed", verdict.passed()),
                    Updates.set("screeningReasoning", verdict.reasoning())));
            if (!verdict.passed()) {
                judged.add(Updates.set("falseAlarmReason", verdict.reasoning()));
            }
            move(issue.id, IssueStatus.screening, verdict.passed() ? IssueStatus.queued : IssueStatus.false_alarm,
                    judged.toArray(Bson[]::new));
            issue = current(issue.id);
        }
        // an agent that ran and ended has left its id: only an issue that never had one gets one, once per problem
        if (issue.status == IssueStatus.queued && issue.agentSessionId == null && settings.autoFixSeverities != null
                && settings.autoFixSeverities.contains(issue.severity)) {
            queueAgent(issue, clock.instant());
            issue = current(issue.id);
        }
        return issue;
    }

    private void move(ObjectId id, IssueStatus from, IssueStatus to, Bson... more) {
        List<Bson> update = new ArrayList<>(List.of(IssueStatusChange.to(to, clock.instant())));
        update.addAll(List.of(more));
        documents.issues().updateOne(and(eq("_id", id), eq("status", from.name())), Updates.combine(update));
    }

    /**
     * Creates the issue {@code detected} unless another analyzer just did: an upsert keyed on the unique
     * (fingerprint, generation).
     */
    private void create(Issue candidate, int generation, Instant now) {
        List<Bson> fields = new ArrayList<>(List.of(
                Updates.setOnInsert("sessionId", candidate.sessionId),
                Updates.setOnInsert("severity", candidate.severity.name()),
                Updates.setOnInsert("severityReason", candidate.severityReason),
                Updates.setOnInsert("title", candidate.title),
                Updates.setOnInsert("description", candidate.description),
                Updates.setOnInsert("timestamp", candidate.timestamp),
                Updates.setOnInsert("analysisSource", candidate.analysisSource.name()),
                Updates.setOnInsert("modelUsed", candidate.modelUsed),
                Updates.setOnInsert("llmReasoning", candidate.llmReasoning),
                Updates.setOnInsert("promptVersion", candidate.promptVersion),
                Updates.setOnInsert("promptTokens", candidate.promptTokens),
                Updates.setOnInsert("completionTokens", candidate.completionTokens),
                Updates.setOnInsert("costUsd", candidate.costUsd),
                Updates.setOnInsert("evidence", candidate.evidence),
                Updates.setOnInsert("status", IssueStatus.detected.name()),
                Updates.setOnInsert("statusHistory", List.of(new IssueStatusChange(IssueStatus.detected, now))),
                Updates.setOnInsert("occurrences", List.of()),
                Updates.setOnInsert("createdAt", now),
                Updates.setOnInsert("updatedAt", now)));
        Bson key = and(eq("fingerprint", candidate.fingerprint), eq("fingerprintGeneration", generation));
        try {
            documents.issues().updateOne(key, Updates.combine(fields), new UpdateOptions().upsert(true));
        } catch (MongoWriteException | MongoCommandException raced) {
            if (raced instanceof MongoWriteException write && write.getError().getCategory()
                    != ErrorCategory.DUPLICATE_KEY) {
                throw raced;
            }
            if (raced instanceof MongoCommandException command && command.getErrorCode() != 11000) {
                throw raced;
            }
            // the other analyzer's insert won between our match and our insert: theirs is the issue
        }
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

    /** One live agent per issue, with the issue's title, description and severity for the runner's prompt. */
    private void queueAgent(Issue issue, Instant now) {
        LiveAgentUpsert.queue(documents, issue.id, now,
                Updates.setOnInsert("issueTitle", issue.title),
                Updates.setOnInsert("issueDescription", issue.description),
                Updates.setOnInsert("severity", issue.severity == null ? null : issue.severity.name()));
    }
}
