package io.truffles.analyzer.detect;

import io.truffles.core.documents.Severity;
import io.truffles.core.rrweb.Rrweb;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * A dead click, by the rule: a click followed by no DOM mutation, scroll or navigation within 2.5 s (typing
 * and media playback count as answers too). posthog-js's other signals, a selection or focus change, answer a click
 * only within 100 ms: later they are the user moving on, not the page responding. Clicks into form fields are left
 * out (their effect is a focus, which changes no DOM), and so are clicks too close to the end of the recording to
 * judge. Dead clicks on one element are one finding.
 */
final class DeadClickDetector {
    static final long RESPONSE_WINDOW_MS = 2500;
    static final long SELECTION_WINDOW_MS = 100;
    static final String DEAD_REASON = "Cosmetic unless it hides a failure: a control that does nothing; the user can "
            + "still carry on.";

    private record Click(long timestamp, String element, String page) {
    }

    private final List<Click> pending = new ArrayList<>();
    private final List<Click> dead = new ArrayList<>();
    private final long startedAt;

    DeadClickDetector(long startedAt) {
        this.startedAt = startedAt;
    }

    void onEvent(RecordedEvent event, DomIndex dom) {
        judge(event);
        if (event.isClick()) {
            int target = event.data().path("id").asInt(-1);
            if (!dom.isEditable(target)) {
                pending.add(new Click(event.timestamp(), dom.describe(target), dom.page()));
            }
        }
    }

    private void judge(RecordedEvent event) {
        for (Iterator<Click> clicks = pending.iterator(); clicks.hasNext(); ) {
            Click click = clicks.next();
            long after = event.timestamp() - click.timestamp();
            if (after > RESPONSE_WINDOW_MS) {
                dead.add(click);
                clicks.remove();
            } else if (after >= 0 && answers(event, after)) {
                clicks.remove();
            }
        }
    }

    private static boolean answers(RecordedEvent event, long after) {
        int source = event.source();
        if (event.isNavigation() || source == Rrweb.SOURCE_MUTATION || source == Rrweb.SOURCE_SCROLL
                || source == Rrweb.SOURCE_INPUT || source == Rrweb.SOURCE_MEDIA_INTERACTION) {
            return true;
        }
        boolean focus = source == Rrweb.SOURCE_MOUSE_INTERACTION
                && event.data().path("type").asInt() == Rrweb.INTERACTION_FOCUS;
        return (source == Rrweb.SOURCE_SELECTION || focus) && after <= SELECTION_WINDOW_MS;
    }

    /** Findings for the dead clicks, leaving out those that were part of a rage click. */
    List<Finding> finish(long lastTimestamp, LongPredicate partOfRage) {
        for (Click click : pending) {
            if (lastTimestamp - click.timestamp() > RESPONSE_WINDOW_MS) {
                dead.add(click);
            }
        }
        Map<String, List<Click>> byElement = new LinkedHashMap<>();
        for (Click click : dead) {
            if (!partOfRage.test(click.timestamp())) {
                byElement.computeIfAbsent(click.page() + "\u001f" + click.element(), key -> new ArrayList<>())
                        .add(click);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (List<Click> clicks : byElement.values()) {
            Click first = clicks.get(0);
            String element = first.element().isEmpty() ? "an element" : first.element();
            findings.add(new Finding(FindingKind.DEAD_CLICK, Severity.yellow,
                    "Dead click on " + element,
                    "Clicking " + element + " changed nothing on the page within 2.5 s"
                            + (clicks.size() > 1 ? " (" + clicks.size() + " times)." : "."),
                    (first.timestamp() - startedAt) / 1000.0, first.page(), first.element(), "dead-click")
                    .withSeverityReason(DEAD_REASON));
        }
        return findings;
    }

    /**
     * Every dead click on its own, those of a rage click too (after {@link #finish}): an incident counts them as
     * "nothing shown", whatever else the clicks caused.
     */
    List<RecordingSignal> signals() {
        List<RecordingSignal> signals = new ArrayList<>();
        for (Click click : dead) {
            String element = click.element().isEmpty() ? "an element" : click.element();
            double at = (click.timestamp() - startedAt) / 1000.0;
            signals.add(new RecordingSignal(new Finding(FindingKind.DEAD_CLICK, Severity.yellow,
                    "Dead click on " + element, "Clicking " + element + " changed nothing on the page within 2.5 s.",
                    at, click.page(), click.element(), "dead-click").withSeverityReason(DEAD_REASON), at));
        }
        return signals;
    }
}
