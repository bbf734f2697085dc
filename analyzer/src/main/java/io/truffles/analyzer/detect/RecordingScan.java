package io.truffles.analyzer.detect;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.core.json.JsonMapping;
import io.truffles.core.rrweb.Rrweb;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the detectors that read the recording itself (rage clicks, dead clicks, error pages) in one pass over its
 * events, each window on its own page model. Streams the events: a long recording is never held in memory whole.
 */
public final class RecordingScan {
    private static final ObjectMapper JSON = JsonMapping.shared();

    /** How long a loading indicator may stay after an action before it counts as hung, unless told otherwise. */
    public static final long DEFAULT_HUNG_AFTER_MS = 10_000;
    /** Typing into one field is one action until the user pauses this long. */
    static final long TYPING_PAUSE_MS = 2000;
    /** A page load this soon after a click is what the click did, not a second action. */
    static final long CLICK_NAVIGATION_MS = 1000;

    private final long startedAt;
    private final long hungAfterMs;
    private final Map<String, WindowScan> windows = new LinkedHashMap<>();
    private final List<UserAction> actions = new ArrayList<>();
    private long lastTimestamp;
    private Result result;

    /**
     * What the recording shows.
     *
     * @param findings each problem on its own, as the detectors report it without grouping
     * @param signals  every signal with the user action it answers, for grouping into incidents
     * @param actions  what the user did, in time order
     */
    public record Result(List<Finding> findings, List<RecordingSignal> signals, List<UserAction> actions) {
    }

    private final class WindowScan {
        final String windowId;
        final DomIndex dom = new DomIndex();
        final RageClickDetector rage = new RageClickDetector(startedAt);
        final DeadClickDetector dead = new DeadClickDetector(startedAt);
        final ErrorPageDetector errorPage = new ErrorPageDetector(startedAt);
        final ErrorBannerDetector banner = new ErrorBannerDetector(startedAt);
        final HungLoadingDetector hung = new HungLoadingDetector(startedAt, hungAfterMs);
        boolean loaded;
        long lastClickAt = Long.MIN_VALUE / 2;
        UserAction lastInput;
        long lastInputAt;

        WindowScan(String windowId) {
            this.windowId = windowId;
        }

        void onEvent(RecordedEvent event) {
            hung.beforeDom(event, dom);
            dom.onEvent(event);
            dead.onEvent(event, dom);
            errorPage.onEvent(event, dom);
            if (event.isNavigation()) {
                rage.onNavigation();
            } else if (event.isClick()) {
                rage.onClick(event, dom);
            }
            noteAction(event);
            banner.afterDom(event, dom);
            hung.afterDom(event, dom);
        }

        private void noteAction(RecordedEvent event) {
            double at = (event.timestamp() - startedAt) / 1000.0;
            if (event.isClick()) {
                String page = dom.page();
                int target = event.data().path("id").asInt(-1);
                String element = dom.describe(target);
                actions.add(new UserAction(at, UserAction.CLICK, page, windowId, target, element));
                lastClickAt = event.timestamp();
                banner.onAction(event.timestamp(), element, page);
                hung.onAction(event.timestamp(), target, element, page);
            } else if (event.source() == Rrweb.SOURCE_INPUT) {
                int target = event.data().path("id").asInt(-1);
                // typing is one action per field until a pause, not one per keystroke
                if (lastInput == null || lastInput.target() != target
                        || event.timestamp() - lastInputAt > TYPING_PAUSE_MS) {
                    lastInput = new UserAction(at, UserAction.INPUT, dom.page(), windowId, target,
                            dom.describe(target));
                    actions.add(lastInput);
                }
                lastInputAt = event.timestamp();
            } else if (event.type() == Rrweb.FULL_SNAPSHOT) {
                // the first page of a window is where the session starts; later ones are the user going somewhere
                boolean userNavigated = loaded && event.timestamp() - lastClickAt > CLICK_NAVIGATION_MS;
                if (userNavigated) {
                    actions.add(new UserAction(at, UserAction.NAVIGATION, dom.page(), windowId, -1,
                            ""));
                }
                loaded = true;
                hung.onPageShown(event.timestamp(), dom, userNavigated);
            }
        }

        List<Finding> finish() {
            List<Finding> found = new ArrayList<>(rage.finish());
            found.addAll(dead.finish(lastTimestamp, rage::isPartOfRage));
            found.addAll(errorPage.finish());
            hung.finish(lastTimestamp, dom).forEach(signal -> found.add(signal.finding()));
            banner.finish().forEach(signal -> found.add(signal.finding()));
            return found;
        }

        List<RecordingSignal> signals() {
            List<RecordingSignal> signals = new ArrayList<>(rage.signals());
            signals.addAll(dead.signals());
            errorPage.finish().forEach(page -> signals.add(new RecordingSignal(page, Double.NaN)));
            signals.addAll(hung.finish(lastTimestamp, dom));
            signals.addAll(banner.finish());
            return signals;
        }
    }

    /** @param startedAt the recording's start (epoch ms): findings' offsets are measured from it */
    public RecordingScan(long startedAt) {
        this(startedAt, DEFAULT_HUNG_AFTER_MS);
    }

    /** @param hungAfterMs how long a loading indicator may stay after an action before it counts as hung */
    public RecordingScan(long startedAt, long hungAfterMs) {
        this.startedAt = startedAt;
        this.hungAfterMs = hungAfterMs;
    }

    public void accept(JsonNode event) {
        RecordedEvent recorded = RecordedEvent.of(event);
        lastTimestamp = Math.max(lastTimestamp, recorded.timestamp());
        windows.computeIfAbsent(recorded.windowId(), WindowScan::new).onEvent(recorded);
    }

    /** Every finding, in session-time order. */
    public List<Finding> findings() {
        return result().findings();
    }

    /** Ends the scan: the findings, the signals and the actions. */
    public Result result() {
        if (result == null) {
            List<Finding> all = new ArrayList<>();
            List<RecordingSignal> signals = new ArrayList<>();
            for (WindowScan window : windows.values()) {
                all.addAll(window.finish());
                signals.addAll(window.signals());
            }
            all.sort(Comparator.comparingDouble(Finding::offsetSeconds));
            signals.sort(Comparator.comparingDouble(signal -> signal.finding().offsetSeconds()));
            List<UserAction> sorted = new ArrayList<>(actions);
            sorted.sort(Comparator.comparingDouble(UserAction::offsetSeconds));
            result = new Result(List.copyOf(all), List.copyOf(signals), List.copyOf(sorted));
        }
        return result;
    }

    /**
     * Scans {@code rrweb-events.json} (a JSON array of events sorted by timestamp) from a stream; the recording's
     * start is its first event.
     */
    public static List<Finding> scan(InputStream events) throws IOException {
        return read(events, DEFAULT_HUNG_AFTER_MS).findings();
    }

    /** Like {@link #scan}, with everything the recording shows and the hung-loading threshold given. */
    public static Result read(InputStream events, long hungAfterMs) throws IOException {
        try (JsonParser parser = JSON.getFactory().createParser(events)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new JsonParseException(parser, "rrweb-events.json is not a JSON array of events");
            }
            RecordingScan scan = null;
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode event = JSON.readTree(parser);
                if (scan == null) {
                    scan = new RecordingScan(event.path("timestamp").asLong(), hungAfterMs);
                }
                scan.accept(event);
            }
            return scan == null ? new Result(List.of(), List.of(), List.of()) : scan.result();
        }
    }
}
