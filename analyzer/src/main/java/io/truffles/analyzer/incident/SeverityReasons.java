package io.truffles.analyzer.incident;

import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.FindingKind;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Severity;
import java.util.List;
import java.util.Set;

/**
 * Why a finding from the session's data is red or yellow, in one sentence a person triaging can act on: data lost,
 * the user blocked, or a cosmetic problem.
 */
final class SeverityReasons {
    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private SeverityReasons() {
    }

    static List<Finding> withReasons(List<Finding> findings) {
        return findings.stream().map(SeverityReasons::withReason).toList();
    }

    static Finding withReason(Finding finding) {
        if (finding.severityReason() != null) {
            return finding;
        }
        if (finding.kind() == FindingKind.FAILED_REQUEST) {
            String method = finding.signature().split(" ", 2)[0];
            return finding.withSeverityReason(failedRequest(method, finding.severity()));
        }
        if (finding.kind() == FindingKind.CONSOLE_ERROR) {
            return finding.withSeverityReason(finding.severity() == Severity.red
                    ? "User blocked: an uncaught exception stopped what the page was doing."
                    : "An error was logged; the user may not have noticed anything.");
        }
        return finding;
    }

    static Finding withReason(Finding finding, NetworkFailure failure) {
        return finding.withSeverityReason(failedRequest(failure.method == null ? "GET" : failure.method.toUpperCase(),
                finding.severity()));
    }

    private static String failedRequest(String method, Severity severity) {
        if (severity != Severity.red) {
            return "The server refused the request (4xx): friction the user can usually correct and retry.";
        }
        return CHANGES.contains(method)
                ? "Data lost: the server failed the user's change (" + method + "), so it was not saved."
                : "User blocked: what the user asked for did not load.";
    }
}
