package io.truffles.core.documents;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.util.List;
import org.bson.types.ObjectId;

/** One problem users ran into; the same problem seen in many sessions is one issue with many occurrences. */
@MongoEntity(collection = Issue.COLLECTION)
public class Issue extends Timestamped {
    public static final String COLLECTION = "issues";

    public ObjectId id;
    /** The session it was first found in. */
    public ObjectId sessionId;
    public Severity severity;
    /** Why it is that severity, in one sentence (data lost, user blocked, cosmetic). */
    public String severityReason;
    public String title;
    public String description;
    /** Seconds into the first session's video. */
    public Double timestamp;
    public AnalysisSource analysisSource;
    public String modelUsed;
    public String llmReasoning;
    public Boolean screeningPassed;
    public String screeningReasoning;
    public IssueStatus status;
    public ObjectId agentSessionId;
    public Integer prNumber;
    public String prUrl;
    public String prBranch;
    public String falseAlarmReason;
    /** Page path pattern + element + error signature: the same problem gets the same fingerprint. */
    public String fingerprint;
    /**
     * How many earlier issues with this fingerprint were fixed (merged) before this one opened: a regression is a new
     * issue. Unique together with {@link #fingerprint}, so two analyzers that find a new problem at once make one issue.
     */
    public Integer fingerprintGeneration;
    public List<Occurrence> occurrences;
    /** Distinct sessions among {@link #occurrences}. */
    public int sessionCount;
    /** Distinct users among {@link #occurrences}. */
    public int userCount;
    /** The prompt version of the model call that reported it, when a model did. */
    public String promptVersion;
    public Long promptTokens;
    public Long completionTokens;
    /** What the model call that reported it cost (OpenRouter's {@code usage.cost}). */
    public Double costUsd;
    /**
     * The statuses it took, oldest first ({@link IssueStatusChange#to}): detected, screening, then queued or
     * false_alarm, and what came after.
     */
    public List<IssueStatusChange> statusHistory;
    /** Every signal of the first session that made this one problem (an incident's requests, errors, clicks…). */
    public List<IssueEvidence> evidence;
    /** The last failure of fixing it, when it ended {@code fix_failed}. */
    public String lastError;
}
