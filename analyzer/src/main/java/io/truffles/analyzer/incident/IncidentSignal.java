package io.truffles.analyzer.incident;

import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.FindingKind;
import io.truffles.core.documents.Severity;

/**
 * One signal of an incident with what the grouping needs to rank it.
 *
 * @param finding       the signal as a finding of its own (kind, time, signature, severity and its reason)
 * @param actionSeconds the session time of the action it answers
 * @param exception     an uncaught exception (the handler crashed), as opposed to an error the page logged
 * @param request       for a failed request: {@code METHOD /route → status}, else null
 */
record IncidentSignal(Finding finding, double actionSeconds, boolean exception, String request) {

    /** Which signal names the problem best, lowest first: the cause before its symptoms. */
    int rank() {
        FindingKind kind = finding.kind();
        if (exception) {
            return 0;
        }
        return switch (kind) {
            case FAILED_REQUEST -> finding.severity() == Severity.red ? 1 : 2;
            case ERROR_BANNER -> 3;
            case ERROR_PAGE -> 4;
            case CONSOLE_ERROR -> 5;
            case HUNG_LOADING -> 6;
            case DEAD_CLICK -> 7;
            case RAGE_CLICK -> 8;
            default -> 9;
        };
    }

    /** The evidence kind stored on the issue. */
    String evidenceKind() {
        return exception ? "exception" : finding.kind().name().toLowerCase();
    }
}
