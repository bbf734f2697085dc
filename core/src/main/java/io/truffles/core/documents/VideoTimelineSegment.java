package io.truffles.core.documents;

/**
 * One stretch of a session's video and the stretch of the session it shows. The renderer collapses long inactivity,
 * so video time and session time differ: a segment with {@code collapsed} shows a long idle stretch of the session in
 * a short marker. Within a segment time maps linearly; segments are in order and cover both timelines without gaps.
 * All times are seconds from the start of the recording (session time) or of the video (video time).
 */
public class VideoTimelineSegment {
    public double sessionStart;
    public double sessionEnd;
    public double videoStart;
    public double videoEnd;
    /** True when an idle stretch of the session was shortened to a marker of skipped time. */
    public boolean collapsed;

    public VideoTimelineSegment() {
    }

    public VideoTimelineSegment(double sessionStart, double sessionEnd, double videoStart, double videoEnd,
            boolean collapsed) {
        this.sessionStart = sessionStart;
        this.sessionEnd = sessionEnd;
        this.videoStart = videoStart;
        this.videoEnd = videoEnd;
        this.collapsed = collapsed;
    }

    /**
     * Where session time {@code sessionSeconds} is shown in the video. Without a timeline (not rendered yet) the two
     * are the same; past the end it is the video's end.
     */
    public static double videoTimeOf(java.util.List<VideoTimelineSegment> timeline, double sessionSeconds) {
        if (timeline == null || timeline.isEmpty()) {
            return sessionSeconds;
        }
        for (VideoTimelineSegment segment : timeline) {
            if (sessionSeconds <= segment.sessionEnd) {
                if (sessionSeconds <= segment.sessionStart || segment.sessionEnd <= segment.sessionStart) {
                    return segment.videoStart;
                }
                double fraction = (sessionSeconds - segment.sessionStart) / (segment.sessionEnd - segment.sessionStart);
                return segment.videoStart + fraction * (segment.videoEnd - segment.videoStart);
            }
        }
        return timeline.get(timeline.size() - 1).videoEnd;
    }

    /**
     * The session time a video time shows: the inverse of {@link #videoTimeOf}. Within a collapsed segment the video
     * shows a marker, not the session, so any moment in it maps to the start of the idle stretch it stands for.
     * Without a timeline the two are the same; past the end it is the session's end.
     */
    public static double sessionTimeOf(java.util.List<VideoTimelineSegment> timeline, double videoSeconds) {
        if (timeline == null || timeline.isEmpty()) {
            return videoSeconds;
        }
        for (VideoTimelineSegment segment : timeline) {
            if (videoSeconds <= segment.videoEnd) {
                if (segment.collapsed || videoSeconds <= segment.videoStart || segment.videoEnd <= segment.videoStart) {
                    return segment.sessionStart;
                }
                double fraction = (videoSeconds - segment.videoStart) / (segment.videoEnd - segment.videoStart);
                return segment.sessionStart + fraction * (segment.sessionEnd - segment.sessionStart);
            }
        }
        return timeline.get(timeline.size() - 1).sessionEnd;
    }
}
