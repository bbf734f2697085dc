package io.truffles.core.documents;

/**
 * Which sessions the video models watch, so model cost grows with problems rather than with traffic. Signals are what
 * the detectors found or what PostHog itself flagged in the recording ({@code $rageclick}, {@code $dead_click},
 * {@code $exception}).
 */
public enum VideoSessions {
    /** Every session with a video. */
    all,
    /** Only sessions with a signal. */
    signals,
    /** Sessions with a signal, plus {@code videoSamplePercent} of the others, drawn by session id. */
    sampled
}
