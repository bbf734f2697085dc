package io.truffles.renderer.replay;

import io.truffles.core.documents.VideoTimelineSegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the video's clock maps to the session's: activity plays at real speed, and every stretch without a single
 * event longer than the idle threshold is shown as a marker of fixed length. Segments are in order, adjacent in both
 * timelines, and map linearly inside.
 */
public final class VideoTimeline {
    private final List<VideoTimelineSegment> segments;

    private VideoTimeline(List<VideoTimelineSegment> segments) {
        this.segments = segments;
    }

    /**
     * @param offsetsMs     event times, milliseconds from the first event, ascending
     * @param idleThreshold gaps between events longer than this are collapsed
     * @param marker        how long a collapsed gap shows in the video
     */
    public static VideoTimeline of(long[] offsetsMs, Duration idleThreshold, Duration marker) {
        double threshold = idleThreshold.toMillis() / 1000.0;
        double markerSeconds = Math.min(marker.toMillis() / 1000.0, threshold);
        List<VideoTimelineSegment> segments = new ArrayList<>();
        double sessionAt = 0;
        double videoAt = 0;
        for (int i = 1; i < offsetsMs.length; i++) {
            double from = offsetsMs[i - 1] / 1000.0;
            double to = offsetsMs[i] / 1000.0;
            if (to - from > threshold) {
                if (from > sessionAt) {
                    segments.add(new VideoTimelineSegment(sessionAt, from, videoAt, videoAt + from - sessionAt, false));
                    videoAt += from - sessionAt;
                }
                segments.add(new VideoTimelineSegment(from, to, videoAt, videoAt + markerSeconds, true));
                videoAt += markerSeconds;
                sessionAt = to;
            }
        }
        double end = offsetsMs.length == 0 ? 0 : offsetsMs[offsetsMs.length - 1] / 1000.0;
        if (end > sessionAt || segments.isEmpty()) {
            segments.add(new VideoTimelineSegment(sessionAt, end, videoAt, videoAt + end - sessionAt, false));
        }
        return new VideoTimeline(List.copyOf(segments));
    }

    /**
     * This timeline with the session's last moment held until video second {@code videoSeconds} (a video is whole
     * frames, and a 0-second session still shows for a moment); the same timeline when it is already that long.
     */
    public VideoTimeline heldTo(double videoSeconds) {
        VideoTimelineSegment last = segments.get(segments.size() - 1);
        if (videoSeconds <= last.videoEnd + 1e-9) {
            return this;
        }
        List<VideoTimelineSegment> held = new ArrayList<>(segments);
        held.add(new VideoTimelineSegment(last.sessionEnd, last.sessionEnd, last.videoEnd, videoSeconds, false));
        return new VideoTimeline(List.copyOf(held));
    }

    public List<VideoTimelineSegment> segments() {
        return segments;
    }

    public double videoSeconds() {
        return segments.get(segments.size() - 1).videoEnd;
    }

    /** The segment showing video second {@code video} (the last one past the end). */
    public VideoTimelineSegment segmentAtVideo(double video) {
        for (VideoTimelineSegment segment : segments) {
            if (video < segment.videoEnd) {
                return segment;
            }
        }
        return segments.get(segments.size() - 1);
    }

    /** The session second shown at video second {@code video}. */
    public double sessionAt(double video) {
        VideoTimelineSegment segment = segmentAtVideo(video);
        double videoLength = segment.videoEnd - segment.videoStart;
        if (videoLength <= 0) {
            return segment.sessionEnd;
        }
        double within = Math.min(1, Math.max(0, (video - segment.videoStart) / videoLength));
        return segment.sessionStart + within * (segment.sessionEnd - segment.sessionStart);
    }

    /** The video second showing session second {@code session}: what the dashboard seeks to for an issue. */
    public double videoAt(double session) {
        return VideoTimelineSegment.videoTimeOf(segments, session);
    }
}
