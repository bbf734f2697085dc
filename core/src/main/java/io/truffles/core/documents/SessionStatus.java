package io.truffles.core.documents;

/** Constant names are the stored values of the seed's schema. */
public enum SessionStatus {
    pending, rendering, analyzing, complete, failed
}
