package io.truffles.core.documents;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One recorded user session: created {@code pending} by the poller, rendered, analysed, {@code complete}. */
@MongoEntity(collection = Session.COLLECTION)
public class Session extends Queued {
    public static final String COLLECTION = "sessions";

    /** Unique: importing the same recording twice is a no-op. */
    public String posthogSessionId;
    public String userId;
    public String userEmail;
    public Instant startTime;
    /** Seconds. */
    public Double duration;
    /** S3 key of {@code recording.mp4}; the API turns it into a presigned URL on each read. */
    public String videoUrl;
    /** S3 key of {@code thumbnail.jpg}. */
    public String thumbnailUrl;
    /** S3 key of {@code rrweb-events.json}. */
    public String rrwebEventsUrl;
    /** PostHog's properties of the recording, as imported. */
    public Map<String, Object> metadata;
    public List<ConsoleError> consoleErrors;
    public List<NetworkFailure> networkFailures;
    public SessionStatus status;
    public IssueCount issueCount;
    /** Why the models did not watch this session (no OpenRouter key, budget reached), when they did not. */
    public String modelAnalysisSkipped;
    /** Why the video models did or did not watch this session (the {@code videoSessions} setting). */
    public VideoDecision videoDecision;
    /** Where the recording came from: {@code posthog} or {@code inbox} (the embedded default's folder). */
    public String source;
    /** PostHog's {@code snapshot_source}: {@code web}, or {@code mobile} (wireframes, never sent to the renderer). */
    public String snapshotSource;
    /** Seconds of {@code recording.mp4}; shorter than {@link #duration} when idle time was collapsed. */
    public Double videoDuration;
    /** How video time maps to session time (see {@link VideoTimelineSegment}); set by the renderer. */
    public List<VideoTimelineSegment> videoTimeline;
}
