package io.truffles.analyzer.detect;

/**
 * Something the user did that the page should answer: a click, typing into a field, or going to another page. The
 * signals that follow it (failed requests, errors, no response) are grouped with it into one incident.
 *
 * @param offsetSeconds session time
 * @param kind          {@code click}, {@code input} or {@code navigation}
 * @param windowId      the recording window it happened in
 * @param target        the rrweb node id of the element, -1 for a navigation
 * @param element       the element's short description ({@link DomIndex#describe}), empty for a navigation
 */
public record UserAction(double offsetSeconds, String kind, String page, String windowId, int target,
        String element) {
    public static final String CLICK = "click";
    public static final String INPUT = "input";
    public static final String NAVIGATION = "navigation";
}
