package io.truffles.analyzer.detect;

import io.truffles.core.documents.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * PostHog's rage click: three or more clicks in a row, each within 30 px (|dx|+|dy|) and 1 s of the one before.
 * A click that breaks the chain starts a new one.
 */
final class RageClickDetector {
    static final int MIN_CLICKS = 3;
    static final int MAX_DISTANCE_PX = 30;
    static final long MAX_GAP_MS = 1000;

    private record Click(long timestamp, int x, int y, int target, String element, String page) {
    }

    private final List<Click> chain = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<RecordingSignal> signals = new ArrayList<>();
    private final Set<Long> rageTimestamps = new HashSet<>();
    private final long startedAt;

    RageClickDetector(long startedAt) {
        this.startedAt = startedAt;
    }

    void onClick(RecordedEvent event, DomIndex dom) {
        int target = event.data().path("id").asInt(-1);
        Click click = new Click(event.timestamp(), event.data().path("x").asInt(), event.data().path("y").asInt(),
                target, dom.describe(target), dom.page());
        if (!chain.isEmpty()) {
            Click previous = chain.get(chain.size() - 1);
            boolean close = Math.abs(click.x() - previous.x()) + Math.abs(click.y() - previous.y()) < MAX_DISTANCE_PX;
            boolean quick = click.timestamp() - previous.timestamp() < MAX_GAP_MS;
            if (!close || !quick) {
                closeChain();
            }
        }
        chain.add(click);
    }

    /** A navigation ends any chain: clicks on two pages are not one burst of frustration. */
    void onNavigation() {
        closeChain();
    }

    List<Finding> finish() {
        closeChain();
        return findings;
    }

    /** The rage clicks (after {@link #finish}), each answering its first click. */
    List<RecordingSignal> signals() {
        return signals;
    }

    /** Whether the click at that time was part of a rage click, so it is not reported as a dead click too. */
    boolean isPartOfRage(long timestamp) {
        return rageTimestamps.contains(timestamp);
    }

    private void closeChain() {
        if (chain.size() >= MIN_CLICKS) {
            Click first = chain.get(0);
            Click last = chain.get(chain.size() - 1);
            chain.forEach(click -> rageTimestamps.add(click.timestamp()));
            String element = first.element().isEmpty() ? "an element" : first.element();
            double at = (first.timestamp() - startedAt) / 1000.0;
            Finding rage = new Finding(FindingKind.RAGE_CLICK, Severity.yellow,
                    "Rage click on " + element,
                    String.format(Locale.ROOT, "The user clicked %s %d times in %.1f s without the page "
                            + "responding the way they expected.", element, chain.size(),
                            (last.timestamp() - first.timestamp()) / 1000.0),
                    at, first.page(), first.element(), "rage-click")
                    .withSeverityReason("The user got frustrated: " + chain.size() + " clicks in a row on one spot.");
            findings.add(rage);
            signals.add(new RecordingSignal(rage, at));
        }
        chain.clear();
    }
}
