package io.truffles.analyzer.detect;

/** What a deterministic detector found. */
public enum FindingKind {
    CONSOLE_ERROR, FAILED_REQUEST, RAGE_CLICK, DEAD_CLICK, ERROR_PAGE,
    /** A loading indicator still shown long after the action that started it. */
    HUNG_LOADING,
    /** An error message the page showed in answer to a user action. */
    ERROR_BANNER,
    /** A problem a model reported that no detector found. */
    MODEL_REPORT
}
