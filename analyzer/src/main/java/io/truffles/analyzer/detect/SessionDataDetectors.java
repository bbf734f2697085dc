package io.truffles.analyzer.detect;

import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Severity;
import io.truffles.core.redaction.Redaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The detectors that read what the poller extracted: console errors (one finding per distinct message) and failed
 * requests (one finding per endpoint: method and path pattern). What a finding quotes of the recording is redacted
 * and bounded ({@link Redaction#bounded}): it becomes an issue's title and description, shown on the dashboard and
 * to agents.
 */
public final class SessionDataDetectors {
    private SessionDataDetectors() {
    }

    public static List<Finding> detect(Session session) {
        List<Finding> findings = new ArrayList<>(consoleErrors(session.consoleErrors));
        findings.addAll(failedRequests(session.networkFailures));
        return findings;
    }

    public static List<Finding> consoleErrors(List<ConsoleError> errors) {
        Map<String, List<ConsoleError>> bySignature = new LinkedHashMap<>();
        for (ConsoleError error : errors == null ? List.<ConsoleError>of() : errors) {
            bySignature.computeIfAbsent(PagePattern.of(error.url) + "\u001f" + Fingerprint.normalizeMessage(error.message),
                    key -> new ArrayList<>()).add(error);
        }
        List<Finding> findings = new ArrayList<>();
        for (List<ConsoleError> same : bySignature.values()) {
            ConsoleError first = same.get(0);
            String message = first.message == null ? "(no message)" : first.message.strip().lines().findFirst()
                    .orElse("(no message)");
            // an uncaught exception broke whatever the user was doing; a logged error may not have
            boolean uncaught = message.startsWith("Uncaught") || message.startsWith("Unhandled")
                    || message.contains("unhandledrejection");
            findings.add(new Finding(FindingKind.CONSOLE_ERROR, uncaught ? Severity.red : Severity.yellow,
                    "Console error: " + shorten(message, 100),
                    "The page logged \"" + shorten(message, 300) + "\""
                            + (same.size() > 1 ? " " + same.size() + " times" : "")
                            + topFrame(first.stack).map(frame -> ", " + shorten(frame, 200)).orElse("") + ".",
                    first.offsetSeconds, PagePattern.of(first.url), "", Fingerprint.normalizeMessage(message)));
        }
        return findings;
    }

    public static List<Finding> failedRequests(List<NetworkFailure> failures) {
        Map<String, List<NetworkFailure>> byEndpoint = new LinkedHashMap<>();
        for (NetworkFailure failure : failures == null ? List.<NetworkFailure>of() : failures) {
            String method = failure.method == null ? "GET" : failure.method.toUpperCase();
            byEndpoint.computeIfAbsent(method + " " + PagePattern.of(failure.url), key -> new ArrayList<>())
                    .add(failure);
        }
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, List<NetworkFailure>> endpoint : byEndpoint.entrySet()) {
            List<NetworkFailure> same = endpoint.getValue();
            NetworkFailure first = same.get(0);
            TreeSet<Integer> statuses = new TreeSet<>();
            same.forEach(failure -> statuses.add(failure.status));
            // a server error or no response at all blocks the user; a 4xx is usually friction
            boolean blocking = statuses.stream().anyMatch(status -> status == 0 || status >= 500);
            String shownStatuses = statuses.stream().map(status -> status == 0 ? "no response" : status.toString())
                    .reduce((a, b) -> a + ", " + b).orElse("");
            findings.add(new Finding(FindingKind.FAILED_REQUEST, blocking ? Severity.red : Severity.yellow,
                    "Request failed: " + shorten(endpoint.getKey(), 150) + " (" + shownStatuses + ")",
                    shorten(endpoint.getKey(), 300) + " failed " + same.size() + (same.size() == 1 ? " time" : " times")
                            + " with " + shownStatuses + (first.error == null || first.error.isBlank() ? ""
                            : " (" + shorten(first.error, 300) + ")") + ".",
                    first.offsetSeconds, "", "", endpoint.getKey() + " " + (blocking ? "5xx" : "4xx")));
        }
        return findings;
    }

    /** The first "at …" line of a stack trace: where the error was thrown. */
    private static Optional<String> topFrame(String stack) {
        return stack == null ? Optional.empty()
                : stack.lines().map(String::strip).filter(line -> line.startsWith("at ")).findFirst();
    }

    /** Recorded text in an issue's title or description: redacted and bounded, as everywhere it is shown. */
    private static String shorten(String text, int max) {
        return Redaction.bounded(text, max);
    }
}
