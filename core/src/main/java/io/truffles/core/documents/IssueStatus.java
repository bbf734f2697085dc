package io.truffles.core.documents;

/** Constant names are the stored values of the seed's schema plus the extra end states of ARCHITECTURE.md. */
public enum IssueStatus {
    detected, screening, queued, fixing, pr_open, merged, false_alarm, fix_failed, pr_closed
}
