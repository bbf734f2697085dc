package io.truffles.analyzer.detect;

/** What a deterministic detector found. */
public enum FindingKind {
    CONSOLE_ERROR, FAILED_REQUEST, RAGE_CLICK, DEAD_CLICK, ERROR_PAGE,
    /** A problem a model reported that no detector found. */
    MODEL_REPORT
}
