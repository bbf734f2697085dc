package io.truffles.api.sessions;

/** The orders the sessions list offers; each breaks ties by {@code _id}, newest first, so cursor paging is exact. */
public enum SessionSort {
    /** Newest first (by when Truffles received it). */
    newest("createdAt"),
    /** Longest sessions first. */
    longest("durationSort"),
    /** Most console errors and failed requests first. */
    errors("errorCount");

    /** The field sorted on: stored, or computed by the list query. */
    final String field;

    SessionSort(String field) {
        this.field = field;
    }
}
