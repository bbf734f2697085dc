package io.truffles.analyzer.video;

import io.truffles.analyzer.detect.Finding;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Settings;
import io.truffles.core.documents.VideoDecision;
import io.truffles.core.documents.VideoSessions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which sessions the video models watch ({@code videoSessions}), so model cost grows with problems, not with traffic.
 * A signal is what the detectors found (their rage and dead clicks are PostHog's {@code $rageclick} and
 * {@code $dead_click} recomputed from the recording with posthog-js's thresholds: those are analytics events, which
 * the poller does not import) or what PostHog counted in the recording's metadata ({@code console_error_count}, where
 * {@code $exception}s show). The sample is drawn from the session id, so a retry decides the same.
 */
public final class VideoSessionPolicy {
    private VideoSessionPolicy() {
    }

    public static VideoDecision decide(Session session, List<Finding> detected, Settings settings) {
        VideoSessions mode = settings.videoSessions == null ? VideoSessions.all : settings.videoSessions;
        if (mode == VideoSessions.all) {
            return new VideoDecision(true, "every session is watched (videoSessions: all)");
        }
        List<String> signals = signals(session, detected);
        if (!signals.isEmpty()) {
            return new VideoDecision(true, "signals: " + String.join(", ", signals));
        }
        if (mode == VideoSessions.signals) {
            return new VideoDecision(false, "no signals (videoSessions: signals)");
        }
        int percent = settings.videoSamplePercent == null ? 0 : settings.videoSamplePercent;
        return bucket(session.posthogSessionId) < percent
                ? new VideoDecision(true, "no signals; drawn in the " + percent + " % sample")
                : new VideoDecision(false, "no signals; " + percent + " % sample not drawn");
    }

    /** What made this session worth watching, in words: the detectors' finding kinds, PostHog's counts. */
    static List<String> signals(Session session, List<Finding> detected) {
        List<String> signals = new ArrayList<>();
        TreeSet<String> kinds = new TreeSet<>();
        detected.forEach(finding -> kinds.add(finding.kind().name().toLowerCase(java.util.Locale.ROOT)));
        if (!kinds.isEmpty()) {
            signals.add(detected.size() + " detector finding(s) (" + String.join(", ", kinds) + ")");
        }
        long errors = count(session.metadata, "console_error_count");
        if (errors > 0) {
            signals.add("PostHog counted " + errors + " console error(s)");
        }
        return signals;
    }

    /** 0–99 from the session id's SHA-256: the same on every analyzer and every retry. */
    static int bucket(String sessionId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(sessionId).getBytes(StandardCharsets.UTF_8));
            long value = ((hash[0] & 0xffL) << 24) | ((hash[1] & 0xffL) << 16) | ((hash[2] & 0xffL) << 8)
                    | (hash[3] & 0xffL);
            return (int) (value % 100);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static long count(Map<String, Object> metadata, String field) {
        Object value = metadata == null ? null : metadata.get(field);
        return value instanceof Number number ? number.longValue() : 0;
    }
}
