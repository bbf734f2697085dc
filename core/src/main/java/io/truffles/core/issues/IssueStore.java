package io.truffles.core.issues;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.nin;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.IssueStatusChange;
import io.truffles.core.documents.Move;
import io.truffles.core.documents.Occurrence;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.DuplicateKey;
import io.truffles.core.notifications.NotificationEvent;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * The one writer of {@code issues.status}: every transition of ARCHITECTURE.md's issue state machine is a method here,
 * fenced on the statuses it may start from (a move from anywhere else is refused and reported as a {@link Move}), and
 * each appends {@code {status, at}} to {@code statusHistory} in the same write. Also the issue's other idempotent
 * writes (creation keyed on the unique fingerprint and generation, occurrences) and the collection's indexes.
 */
@Singleton
public class IssueStore implements PanacheMongoRepositoryBase<Issue, ObjectId> {
    private static final Logger LOG = Logger.getLogger(IssueStore.class);
    /** A fixed issue is closed: the same problem showing again is a regression, a new issue. */
    public static final Set<IssueStatus> CLOSED = EnumSet.copyOf(
            Arrays.stream(IssueStatus.values()).filter(IssueStatus::isFixed).toList());
    /** Where an agent may start work: anything not closed (an admin may send an agent to any open issue). */
    static final Set<IssueStatus> FIXABLE = EnumSet.complementOf(EnumSet.of(IssueStatus.merged, IssueStatus.pr_open));
    /** The distinct users at which a problem is news again ({@code issue.users}). */
    public static final List<Integer> USER_THRESHOLDS = List.of(10, 100, 1000);

    static final String UNIQUE_FINGERPRINT = "fingerprint_generation_unique";
    /** MongoDB's refusals of an index whose name or keys exist with other options. */
    private static final int INDEX_OPTIONS_CONFLICT = 85;
    private static final int INDEX_KEY_SPECS_CONFLICT = 86;

    private final MongoCollection<Issue> issues;
    private final Clock clock;

    public IssueStore(Documents documents, Clock clock) {
        this.issues = documents.issues();
        this.clock = clock;
    }

    /**
     * The indexes the issue queries rely on, and the unique one that makes "one issue per problem" hold when analyzers
     * find a new problem at the same moment: {@link #create} is an upsert keyed on (fingerprint, generation), which
     * MongoDB can only insert once. It is sparse, not partial: issues without a fingerprint (made by hand, or a test's
     * fixtures) are left out of it on MongoDB and on the embedded server alike, which ignores
     * {@code partialFilterExpression} and would index them all as (null, null) (see EmbeddedIndexSupportTest).
     */
    public static void ensureIndexes(Documents documents) {
        MongoCollection<Issue> issues = documents.issues();
        issues.createIndex(Indexes.ascending("fingerprint"));
        issues.createIndex(Indexes.ascending("status", "severity"));
        issues.createIndex(Indexes.ascending("sessionId"));
        // the api's issue lists: most sessions first, or newest first, paged by a cursor on (key, _id)
        issues.createIndex(Indexes.descending("sessionCount", "_id"));
        issues.createIndex(Indexes.descending("createdAt", "_id"));
        ensureUniqueFingerprint(issues);
    }

    private static void ensureUniqueFingerprint(MongoCollection<Issue> issues) {
        IndexOptions unique = new IndexOptions().unique(true).sparse(true).name(UNIQUE_FINGERPRINT);
        try {
            try {
                issues.createIndex(Indexes.ascending("fingerprint", "fingerprintGeneration"), unique);
            } catch (MongoCommandException notSparse) {
                if (notSparse.getErrorCode() != INDEX_OPTIONS_CONFLICT
                        && notSparse.getErrorCode() != INDEX_KEY_SPECS_CONFLICT) {
                    throw notSparse;
                }
                // the same index from before it was sparse (it then could only be ensured by the analyzer): replace it
                issues.dropIndex(UNIQUE_FINGERPRINT);
                issues.createIndex(Indexes.ascending("fingerprint", "fingerprintGeneration"), unique);
            }
        } catch (MongoCommandException existingDuplicates) {
            // issues from before generations existed may collide (a fixed issue and its regression); they still work
            LOG.warnf("The unique index on issues' fingerprint and generation could not be created (%s); two "
                    + "analyzers finding a new problem at once could make two issues until it is.",
                    existingDuplicates.getMessage());
        }
    }

    /**
     * Creates {@code candidate} {@code detected} as generation {@code generation} of its fingerprint, unless another
     * analyzer just did: an upsert keyed on the unique (fingerprint, generation), whose duplicate-key refusal of a
     * racing insert means theirs is the issue.
     */
    public void create(Issue candidate, int generation) {
        Instant now = clock.instant();
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
            issues.updateOne(key, Updates.combine(fields), new UpdateOptions().upsert(true));
        } catch (MongoWriteException | MongoCommandException raced) {
            if (!DuplicateKey.is(raced)) {
                throw raced;
            }
            // the other analyzer's insert won between our match and our insert: theirs is the issue
        }
    }

    /**
     * Adds the session's occurrence once (a second analysis of the same session is a no-op) and recounts the
     * distinct sessions and users. The recount is a compare-and-set on the count it replaces, so of two analyzers
     * recounting at once only the one whose write moves {@code userCount} across 10, 100 or 1000 files
     * {@code issue.users} for it — in that same write; the other reads again and finds nothing crossed. A crash between
     * the push and the recount leaves the old count, so the retry's recount still sees the crossing.
     */
    public void recordOccurrence(ObjectId id, Occurrence occurrence) {
        Instant now = clock.instant();
        issues.updateOne(and(eq("_id", id), ne("occurrences.sessionId", occurrence.sessionId)),
                Updates.combine(Updates.push("occurrences", occurrence), Updates.set("updatedAt", now)));
        while (true) {
            Issue current = issues.find(eq("_id", id)).first();
            if (current == null) {
                return;
            }
            List<Occurrence> occurrences = current.occurrences == null ? List.of() : current.occurrences;
            int sessions = (int) occurrences.stream().map(o -> o.sessionId).distinct().count();
            int users = (int) occurrences.stream().map(o -> o.userId).filter(Objects::nonNull).distinct().count();
            int old = current.userCount;
            List<Bson> recount = new ArrayList<>(List.of(Updates.set("sessionCount", sessions),
                    Updates.set("userCount", users)));
            // the highest threshold this recount crosses (concurrent analyzers may add several users at once): one
            // message saying where the problem stands, not one per step it skipped
            USER_THRESHOLDS.stream().filter(threshold -> old < threshold && users >= threshold)
                    .reduce((lower, higher) -> higher)
                    .ifPresent(threshold -> recount.add(Outbox.add(OutboxEntry.of(NotificationEvent.ISSUE_USERS,
                            id.toHexString(), String.valueOf(threshold), now,
                            Map.of("threshold", threshold, "users", users)))));
            // an issue nobody has recounted yet has no userCount (read as 0)
            Bson unchanged = old == 0 ? or(eq("userCount", 0), Filters.exists("userCount", false))
                    : eq("userCount", old);
            if (issues.updateOne(and(eq("_id", id), unchanged), Updates.combine(recount)).getMatchedCount() == 1) {
                return;
            }
            // another analyzer recounted between our read and our write: count again from what it left
        }
    }

    /**
     * A yellow issue another session showed blocking its user becomes red, with that reason. An issue that has passed
     * screening files {@code issue.red} in the same write (a new red problem as far as anyone watching is concerned);
     * one still being screened does not, since {@link #passScreening} of a red issue will. The two writes are told
     * apart by {@code screeningPassed}, and retried while a screening finishing in between changes which applies, so
     * the news is neither lost nor filed twice. Closed and false-alarm issues stay as they are. {@code true} when this
     * call raised it.
     */
    public boolean raiseToRed(ObjectId id, String reason) {
        List<String> settled = new ArrayList<>(IssueStatus.fixedNames());
        settled.add(IssueStatus.false_alarm.name());
        while (true) {
            Instant now = clock.instant();
            Bson raise = Updates.combine(Updates.set("severity", Severity.red.name()),
                    Updates.set("severityReason", reason), Updates.set("updatedAt", now));
            Bson yellowAndOpen = and(eq("_id", id), eq("severity", Severity.yellow.name()), nin("status", settled));
            if (issues.updateOne(and(yellowAndOpen, eq("screeningPassed", true)), Updates.combine(raise,
                    Outbox.add(OutboxEntry.of(NotificationEvent.ISSUE_RED, id.toHexString(), now,
                            Map.of("severity", Severity.red.name(), "raised", true))))).getMatchedCount() == 1) {
                return true;
            }
            if (issues.updateOne(and(yellowAndOpen, ne("screeningPassed", true)), raise).getMatchedCount() == 1) {
                return true;
            }
            if (issues.countDocuments(yellowAndOpen) == 0) {
                return false;
            }
            // screening passed between the two writes: the first one applies now
        }
    }

    /** detected → screening. */
    public Move startScreening(ObjectId id) {
        return move(id, EnumSet.of(IssueStatus.detected), IssueStatus.screening, null);
    }

    /**
     * screening → queued, with what the screening found. A red issue files {@code issue.red} in the same write: the
     * move is tried first fenced on {@code severity: red}, then, refused only for its severity, without the entry.
     */
    public Move passScreening(ObjectId id, String reasoning) {
        Set<IssueStatus> from = EnumSet.of(IssueStatus.screening);
        Bson passed = Updates.combine(Updates.set("screeningPassed", true),
                Updates.set("screeningReasoning", reasoning));
        Move red = move(id, from, IssueStatus.queued, eq("severity", Severity.red.name()), passed,
                Outbox.add(OutboxEntry.of(NotificationEvent.ISSUE_RED, id.toHexString(), clock.instant(),
                        Map.of("severity", Severity.red.name()))));
        if (red.moved() || !IssueStatus.screening.name().equals(red.found())) {
            return red;
        }
        return move(id, from, IssueStatus.queued, null, passed);
    }

    /** screening → false_alarm: the screening's reasoning is the reason. */
    public Move failScreening(ObjectId id, String reasoning) {
        return move(id, EnumSet.of(IssueStatus.screening), IssueStatus.false_alarm, null,
                Updates.set("screeningPassed", false), Updates.set("screeningReasoning", reasoning),
                Updates.set("falseAlarmReason", reasoning));
    }

    /**
     * Deletes an issue screening found to be a duplicate of another: only while it is still {@code screening} (it was
     * never more). {@code true} when this call deleted it.
     */
    public boolean dropDuplicate(ObjectId id) {
        return issues.deleteOne(and(eq("_id", id), eq("status", IssueStatus.screening.name()))).getDeletedCount() == 1;
    }

    /** Points the issue at the agent just queued for it (no status change: it stays where it is until work starts). */
    public void pointAtAgent(ObjectId id, ObjectId agentId) {
        issues.updateOne(eq("_id", id), Updates.combine(Updates.set("agentSessionId", agentId),
                Updates.set("updatedAt", clock.instant())));
    }

    /** Any open status but {@code pr_open} → fixing, by agent {@code agentId}. */
    public Move startFixing(ObjectId id, ObjectId agentId) {
        return move(id, FIXABLE, IssueStatus.fixing, null, Updates.set("agentSessionId", agentId));
    }

    /**
     * queued / fixing → pr_open by agent {@code agentId}, filing {@code pr.opened} (keyed on the issue and the PR's
     * number: a later agent's new PR for a reopened issue is news again); again pr_open — a retried agent finds its
     * pull request already open — files nothing, since the first move did.
     */
    public Move markPrOpen(ObjectId id, ObjectId agentId, int prNumber, String prUrl, String prBranch) {
        Bson pr = Updates.combine(Updates.set("prNumber", prNumber), Updates.set("prUrl", prUrl),
                Updates.set("prBranch", prBranch));
        Map<String, Object> facts = new HashMap<>(Map.of("prNumber", prNumber));
        if (prUrl != null) {
            facts.put("prUrl", prUrl);
        }
        if (agentId != null) {
            facts.put("agentId", agentId.toHexString());
        }
        Move opened = move(id, EnumSet.of(IssueStatus.queued, IssueStatus.fixing), IssueStatus.pr_open, null, pr,
                Outbox.add(OutboxEntry.of(NotificationEvent.PR_OPENED, id.toHexString(), String.valueOf(prNumber),
                        clock.instant(), facts)));
        if (opened.moved() || !IssueStatus.pr_open.name().equals(opened.found())) {
            return opened;
        }
        return move(id, EnumSet.of(IssueStatus.pr_open), IssueStatus.pr_open, null, pr);
    }

    /** fixing → false_alarm: the agent could not reproduce it; its reason is kept. */
    public Move markFalseAlarmByAgent(ObjectId id, String reason) {
        return move(id, EnumSet.of(IssueStatus.fixing), IssueStatus.false_alarm, null,
                Updates.set("falseAlarmReason", reason));
    }

    /**
     * queued / fixing → fix_failed with the agent's error, only while agent {@code agentId} (or none) is the issue's:
     * an issue another agent took over meanwhile is left alone.
     */
    public Move markFixFailed(ObjectId id, ObjectId agentId, String lastError) {
        return move(id, EnumSet.of(IssueStatus.queued, IssueStatus.fixing), IssueStatus.fix_failed,
                or(eq("agentSessionId", agentId), eq("agentSessionId", null)), Updates.set("lastError", lastError));
    }

    /**
     * pr_open → merged: the pull request was merged on GitHub; files {@code pr.merged} with the PR's URL, fenced on the
     * URL read so the news names the PR that was merged.
     */
    public Move markMerged(ObjectId id) {
        Document pr = issues.withDocumentClass(Document.class).find(eq("_id", id))
                .projection(Projections.include("prUrl", "prNumber")).first();
        String prUrl = pr == null ? null : pr.getString("prUrl");
        Map<String, Object> facts = new HashMap<>();
        if (prUrl != null) {
            facts.put("prUrl", prUrl);
        }
        if (pr != null && pr.get("prNumber") instanceof Number number) {
            facts.put("prNumber", number.intValue());
        }
        return move(id, EnumSet.of(IssueStatus.pr_open), IssueStatus.merged, eq("prUrl", prUrl),
                Outbox.add(OutboxEntry.of(NotificationEvent.PR_MERGED, id.toHexString(), clock.instant(), facts)));
    }

    /** pr_open → pr_closed: the pull request was closed on GitHub without a merge. */
    public Move markPrClosed(ObjectId id) {
        return move(id, EnumSet.of(IssueStatus.pr_open), IssueStatus.pr_closed, null);
    }

    /**
     * An admin's verdict: any status but merged → false_alarm with {@code reason} (again false_alarm: repeating the
     * call replaces the reason).
     */
    public Move markFalseAlarm(ObjectId id, String reason) {
        return move(id, EnumSet.complementOf(EnumSet.copyOf(CLOSED)), IssueStatus.false_alarm, null,
                Updates.set("falseAlarmReason", reason));
    }

    private Move move(ObjectId id, Set<IssueStatus> from, IssueStatus to, Bson more, Bson... changes) {
        List<Bson> update = new ArrayList<>(List.of(changes));
        update.add(IssueStatusChange.to(to, clock.instant()));
        return Move.apply(issues, id, from, to, more == null ? new Document() : more, Updates.combine(update));
    }
}
