package io.truffles.analyzer.detect;

import com.fasterxml.jackson.databind.JsonNode;
import io.truffles.core.documents.Severity;
import io.truffles.core.rrweb.Rrweb;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error the page shows in answer to a user action: text added (or revealed) within {@link #WINDOW_MS} of a click
 * that says something failed, or anything that appears in a {@code role="alert"} / {@code aria-live="assertive"}
 * region unless it reports success. One finding per action. It does not need a console error: many apps catch the
 * failure and only tell the user.
 */
final class ErrorBannerDetector {
    static final long WINDOW_MS = 5000;
    /** Longer text is a page or a list being shown, not a message about the action. */
    static final int MAX_MESSAGE_CHARS = 300;
    /** A mutation restyling more elements than this at once is layout (a filtered table), not a banner shown. */
    static final int MAX_REVEALED = 4;

    private static final Pattern FAILURE_TEXT = Pattern.compile(
            "\\b(something went wrong|an? (unexpected )?error( has)? occurred|error|failed|failure|could ?n[o']t"
                    + "|can ?n[o']t be|unable to|try again|not (be )?(saved|loaded|sent|found)"
                    + "|(internal server|bad gateway|service unavailable|gateway time-?out))\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SUCCESS_TEXT = Pattern.compile("\\b(saved|success|successfully|done|updated|sent"
            + "|copied|welcome)\\b", Pattern.CASE_INSENSITIVE);

    private final long startedAt;
    private final List<RecordingSignal> found = new ArrayList<>();
    private long actionAt = Long.MIN_VALUE / 2;
    private String element = "";
    private String page = "";
    private boolean reported;

    ErrorBannerDetector(long startedAt) {
        this.startedAt = startedAt;
    }

    void onAction(long at, String element, String page) {
        actionAt = at;
        this.element = element;
        this.page = page;
        reported = false;
    }

    void afterDom(RecordedEvent event, DomIndex dom) {
        if (reported || event.source() != Rrweb.SOURCE_MUTATION || event.timestamp() - actionAt > WINDOW_MS) {
            return;
        }
        JsonNode data = event.data();
        for (JsonNode add : data.path("adds")) {
            if (check(add.path("node").path("id").asInt(), event, dom)) {
                return;
            }
        }
        for (JsonNode text : data.path("texts")) {
            if (check(text.path("id").asInt(), event, dom)) {
                return;
            }
        }
        if (data.path("attributes").size() <= MAX_REVEALED) {
            for (JsonNode attribute : data.path("attributes")) {
                if (check(attribute.path("id").asInt(), event, dom)) {
                    return;
                }
            }
        }
    }

    private boolean check(int id, RecordedEvent event, DomIndex dom) {
        if (!dom.exists(id)) {
            return false;
        }
        String text = dom.isText(id) ? dom.ownText(id) : dom.textOf(id, MAX_MESSAGE_CHARS);
        if (text.isBlank() || text.length() > MAX_MESSAGE_CHARS || !LoadingIndicator.visible(dom, id)) {
            return false;
        }
        text = text.strip().replaceAll("\\s+", " ");
        boolean alert = false;
        for (int element : dom.elementAndAncestors(id)) {
            if ("alert".equals(dom.attribute(element, "role"))
                    || "assertive".equals(dom.attribute(element, "aria-live"))) {
                alert = true;
                break;
            }
        }
        Matcher failure = FAILURE_TEXT.matcher(text);
        boolean failed = failure.find();
        if (!(failed || (alert && !SUCCESS_TEXT.matcher(text).find()))) {
            return false;
        }
        reported = true;
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        String after = element.isEmpty() ? "the page changed" : "clicking " + element;
        Finding finding = new Finding(FindingKind.ERROR_BANNER, Severity.red,
                "Error shown after " + after + ": \"" + shown + "\"",
                "Within " + (event.timestamp() - actionAt) + " ms of " + after + " the page showed \"" + shown + "\"",
                (event.timestamp() - startedAt) / 1000.0, page, element,
                "banner:" + Fingerprint.normalizeMessage(failed ? failure.group() + " " + shown : shown).toLowerCase())
                .withSeverityReason("User blocked: the page told the user their action failed.");
        found.add(new RecordingSignal(finding, (actionAt - startedAt) / 1000.0));
        return true;
    }

    List<RecordingSignal> finish() {
        return found;
    }
}
