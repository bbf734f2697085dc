package io.truffles.analyzer.detect;

import io.truffles.core.documents.Severity;
import io.truffles.core.rrweb.Rrweb;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A hung loading state: after a user action (or a page load) a loading indicator appears ({@link LoadingIndicator})
 * and is still there {@code hungAfterMs} later. Red when it blocks the flow (it sits in a modal, or the control the
 * user pressed is disabled), yellow otherwise. Invisible to console and network: the request may never have failed,
 * it simply never came back. One finding per indicator.
 */
final class HungLoadingDetector {
    /** An indicator that shows this soon after the action is the page starting to answer it. */
    static final long APPEAR_WINDOW_MS = 2000;

    private static final class Watch {
        final long at;
        final double actionSeconds;
        final int target;
        final String element;
        final String page;
        final List<Integer> indicators = new ArrayList<>();

        Watch(long at, double actionSeconds, int target, String element, String page) {
            this.at = at;
            this.actionSeconds = actionSeconds;
            this.target = target;
            this.element = element;
            this.page = page;
        }
    }

    private final long startedAt;
    private final long hungAfterMs;
    private final List<Watch> watches = new ArrayList<>();
    private final Set<Integer> reported = new HashSet<>();
    private final List<RecordingSignal> found = new ArrayList<>();

    HungLoadingDetector(long startedAt, long hungAfterMs) {
        this.startedAt = startedAt;
        this.hungAfterMs = hungAfterMs;
    }

    /** A user action the page should answer: what it shows next is watched. */
    void onAction(long at, int target, String element, String page) {
        watches.add(new Watch(at, (at - startedAt) / 1000.0, target, element, page));
    }

    /** A new page: the indicators it shows from the start are watched (a page that never finishes loading). */
    void onPageShown(long at, DomIndex dom, boolean userNavigated) {
        Watch load = new Watch(at, userNavigated ? (at - startedAt) / 1000.0 : Double.NaN, -1, "",
                dom.page());
        List<Integer> all = new ArrayList<>();
        dom.roots().forEach(root -> dom.collectSubtree(root, all));
        for (int id : all) {
            if (LoadingIndicator.is(dom, id)) {
                load.indicators.add(id);
            }
        }
        if (!load.indicators.isEmpty()) {
            watches.add(load);
        }
    }

    /** Before the page model takes the event: watches whose time is up are judged on the page as it was. */
    void beforeDom(RecordedEvent event, DomIndex dom) {
        if (watches.isEmpty()) {
            return;
        }
        for (Iterator<Watch> each = watches.iterator(); each.hasNext(); ) {
            Watch watch = each.next();
            long since = event.timestamp() - watch.at;
            if (since >= hungAfterMs) {
                judge(watch, dom);
                each.remove();
            } else if (since > APPEAR_WINDOW_MS && watch.indicators.isEmpty()) {
                each.remove();                          // the action was answered without a loading state
            }
        }
    }

    /** After the page model took the event: indicators that just appeared after an action join its watch. */
    void afterDom(RecordedEvent event, DomIndex dom) {
        if (watches.isEmpty() || event.source() != Rrweb.SOURCE_MUTATION) {
            return;
        }
        List<Integer> changed = null;
        for (Watch watch : watches) {
            if (watch.target < 0 || event.timestamp() - watch.at > APPEAR_WINDOW_MS) {
                continue;
            }
            if (changed == null) {
                changed = changedIndicators(event, dom);
            }
            watch.indicators.addAll(changed);
        }
    }

    private static List<Integer> changedIndicators(RecordedEvent event, DomIndex dom) {
        List<Integer> touched = new ArrayList<>();
        event.data().path("adds").forEach(add -> dom.collectSubtree(add.path("node").path("id").asInt(), touched));
        event.data().path("texts").forEach(text -> touched.add(text.path("id").asInt()));
        // a mutation restyling many elements at once is layout (a filtered table), not a loading state shown
        if (event.data().path("attributes").size() <= ErrorBannerDetector.MAX_REVEALED) {
            event.data().path("attributes").forEach(attribute -> touched.add(attribute.path("id").asInt()));
        }
        List<Integer> indicators = new ArrayList<>();
        for (int id : touched) {
            if (LoadingIndicator.is(dom, id)) {
                indicators.add(id);
            }
        }
        return indicators;
    }

    private void judge(Watch watch, DomIndex dom) {
        for (int indicator : watch.indicators) {
            if (reported.contains(indicator) || !LoadingIndicator.is(dom, indicator)) {
                continue;
            }
            reported.add(indicator);
            String label = LoadingIndicator.label(dom, indicator);
            boolean modal = LoadingIndicator.inModal(dom, indicator);
            boolean disabled = watch.target >= 0 && (dom.attribute(watch.target, "disabled") != null
                    || "true".equals(dom.attribute(watch.target, "aria-disabled")));
            boolean blocking = modal || disabled;
            long seconds = hungAfterMs / 1000;
            String after = watch.element.isEmpty() ? "the page loaded" : "clicking " + watch.element;
            String reason = blocking
                    ? "User blocked: the loading state " + (modal ? "sits in a modal" : "keeps the control disabled")
                            + " and never ends, so the user cannot go on."
                    : "The action never finished loading, though the rest of the page stayed usable.";
            Finding finding = new Finding(FindingKind.HUNG_LOADING, blocking ? Severity.red : Severity.yellow,
                    "Stuck on \"" + label + "\" after " + after,
                    "After " + after + ", \"" + label + "\" was still shown " + seconds + " s later"
                            + (modal ? ", in a modal" : "") + (disabled ? ", with the control disabled" : "") + ".",
                    (watch.at - startedAt) / 1000.0, watch.page, watch.element,
                    "hung:" + Fingerprint.normalizeMessage(label).toLowerCase()).withSeverityReason(reason);
            found.add(new RecordingSignal(finding, watch.actionSeconds));
            return;
        }
    }

    /** Judges the watches whose time is up by the end of the recording; the others cannot be judged. */
    List<RecordingSignal> finish(long lastTimestamp, DomIndex dom) {
        for (Watch watch : watches) {
            if (lastTimestamp - watch.at >= hungAfterMs) {
                judge(watch, dom);
            }
        }
        watches.clear();
        return found;
    }
}
