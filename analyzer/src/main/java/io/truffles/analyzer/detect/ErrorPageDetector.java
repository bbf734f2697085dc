package io.truffles.analyzer.detect;

import io.truffles.core.documents.Severity;
import io.truffles.core.rrweb.Rrweb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page that shows an error instead of what the user came for: an HTTP error page after a navigation, or an error
 * boundary's text that appears shortly after. One finding per navigation.
 */
final class ErrorPageDetector {
    /** How long after a navigation added text still counts as "the page turned out to be an error". */
    static final long AFTER_NAVIGATION_MS = 10_000;

    private static final Pattern ERROR_TEXT = Pattern.compile(
            "\\b(404|500|502|503|504)\\b[^.\\n]{0,40}?\\b(error|not found|unavailable|bad gateway|time-?out)\\b"
                    + "|\\b(page not found|internal server error|bad gateway|service unavailable"
                    + "|something went wrong|application error|an unexpected error( has)? occurred"
                    + "|unexpected application error)\\b",
            Pattern.CASE_INSENSITIVE);

    private final List<Finding> findings = new ArrayList<>();
    private final long startedAt;
    private long navigatedAt = Long.MIN_VALUE;
    private boolean reportedThisPage;

    ErrorPageDetector(long startedAt) {
        this.startedAt = startedAt;
    }

    void onEvent(RecordedEvent event, DomIndex dom) {
        if (event.isClick()) {
            // what appears after a click answers the click: an error banner, not the page turning out an error
            navigatedAt = Long.MIN_VALUE / 2;
        } else if (event.type() == Rrweb.META) {
            navigatedAt = event.timestamp();
            reportedThisPage = false;
        } else if (event.type() == Rrweb.FULL_SNAPSHOT) {
            if (navigatedAt == Long.MIN_VALUE) {
                navigatedAt = event.timestamp();
            }
            check(dom.pageText(), event, dom);
        } else if (event.source() == Rrweb.SOURCE_MUTATION
                && event.timestamp() - navigatedAt <= AFTER_NAVIGATION_MS) {
            StringBuilder added = new StringBuilder();
            event.data().path("adds").forEach(add -> added.append(dom.textOf(add.path("node").path("id").asInt()))
                    .append(' '));
            event.data().path("texts").forEach(text -> added.append(text.path("value").asText()).append(' '));
            check(added.toString(), event, dom);
        }
    }

    private void check(String text, RecordedEvent event, DomIndex dom) {
        if (reportedThisPage || text.isBlank()) {
            return;
        }
        Matcher matcher = ERROR_TEXT.matcher(text);
        if (!matcher.find()) {
            return;
        }
        reportedThisPage = true;
        String shown = matcher.group().replaceAll("\\s+", " ");
        String page = dom.page();
        findings.add(new Finding(FindingKind.ERROR_PAGE, Severity.red,
                "Error page: \"" + shown + "\"" + (page.isEmpty() ? "" : " on " + page),
                "After navigating" + (page.isEmpty() ? "" : " to " + page) + " the user saw an error instead of the "
                        + "page: \"" + excerpt(text, matcher.start()) + "\".",
                (event.timestamp() - startedAt) / 1000.0, page, "",
                shown.toLowerCase(Locale.ROOT)).withSeverityReason("User blocked: an error page replaced what they "
                + "asked for."));
    }

    private static String excerpt(String text, int at) {
        int from = Math.max(0, at - 40);
        int to = Math.min(text.length(), at + 80);
        return text.substring(from, to).strip().replaceAll("\\s+", " ");
    }

    List<Finding> finish() {
        return findings;
    }
}
