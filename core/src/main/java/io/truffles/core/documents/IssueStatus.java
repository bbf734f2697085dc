package io.truffles.core.documents;

import java.util.Arrays;
import java.util.List;

/** Constant names are the stored values of the seed's schema plus the extra end states of ARCHITECTURE.md. */
public enum IssueStatus {
    detected, screening, queued, fixing, pr_open, merged, false_alarm, fix_failed, pr_closed;

    /**
     * Whether the issue is still a problem someone may work on: not fixed ({@code merged}), not dismissed
     * ({@code false_alarm}), not given up on by the team ({@code pr_closed}). A new finding is screened against the
     * open issues.
     */
    public boolean isOpen() {
        return this != merged && this != false_alarm && this != pr_closed;
    }

    /**
     * Whether the issue was fixed: the same problem seen again is a regression, a new issue (the next generation of
     * its fingerprint), while any other issue of the fingerprint takes the new occurrence.
     */
    public boolean isFixed() {
        return this == merged;
    }

    /** The stored names of the open statuses, for queries. */
    public static List<String> openNames() {
        return Arrays.stream(values()).filter(IssueStatus::isOpen).map(Enum::name).toList();
    }

    /** The stored names of the fixed statuses, for queries. */
    public static List<String> fixedNames() {
        return Arrays.stream(values()).filter(IssueStatus::isFixed).map(Enum::name).toList();
    }
}
