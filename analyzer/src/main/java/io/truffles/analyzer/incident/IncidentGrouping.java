package io.truffles.analyzer.incident;

import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.Fingerprint;
import io.truffles.analyzer.detect.PagePattern;
import io.truffles.analyzer.detect.RecordingScan;
import io.truffles.analyzer.detect.RecordingSignal;
import io.truffles.analyzer.detect.SessionDataDetectors;
import io.truffles.analyzer.detect.UserAction;
import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One problem, one finding: the signals one user action caused (failed requests it started, console errors, an
 * uncaught exception, no visible response, a loading state that never ended, an error banner, repeated clicks on
 * the control) become one incident. Actions on the same control close together in time (the user retrying) are one
 * run; every signal within {@link #AFTER_ACTION_SECONDS} of an action belongs to its run. Signals no action explains
 * stay findings of their own: a request or console error that also happens away from any action is background
 * (a failing poll), so none of its occurrences is pinned on a click that merely came before it.
 */
public final class IncidentGrouping {
    /** How long after an action its requests, errors and banners still count as its answer. */
    static final double AFTER_ACTION_SECONDS = 5.0;
    /** A console error can be written a moment before the click event that caused it is. */
    static final double BEFORE_ACTION_SECONDS = 0.1;
    /** Clicking the same control again within this long is retrying it: one run, one incident. */
    static final double RETRY_SECONDS = 20.0;

    private IncidentGrouping() {
    }

    /** A run of actions on one control and the signals they caused. */
    static final class Run {
        final List<UserAction> actions = new ArrayList<>();
        final List<IncidentSignal> signals = new ArrayList<>();

        UserAction first() {
            return actions.get(0);
        }

        double lastAt() {
            return actions.get(actions.size() - 1).offsetSeconds();
        }
    }

    public static List<Finding> group(Session session, RecordingScan.Result recording) {
        List<Run> runs = new ArrayList<>();
        // identity: an action is the one recorded, and hashing thousands of records is work for nothing
        Map<UserAction, Run> runOf = new IdentityHashMap<>();
        // the latest run per control, by node and by description (a re-render replaces the node, not the label)
        Map<String, Run> byNode = new HashMap<>();
        Map<String, Run> byLabel = new HashMap<>();
        for (UserAction action : recording.actions()) {
            String scope = action.kind() + "\u001f" + action.windowId() + "\u001f" + action.page() + "\u001f";
            Run run = retried(byNode.get(scope + action.target()), action);
            if (run == null && !action.element().isEmpty()) {
                run = retried(byLabel.get(scope + action.element()), action);
            }
            if (run == null) {
                run = new Run();
                runs.add(run);
            }
            run.actions.add(action);
            runOf.put(action, run);
            byNode.put(scope + action.target(), run);
            if (!action.element().isEmpty()) {
                byLabel.put(scope + action.element(), run);
            }
        }
        List<UserAction> actions = recording.actions();
        List<Finding> lone = new ArrayList<>();

        // requests and console errors: pinned on the action just before, unless they are background
        List<NetworkFailure> loneFailures = pin(nonNull(session.networkFailures), IncidentGrouping::endpoint,
                failure -> failure.offsetSeconds, actions, (failure, action) -> {
                    Finding finding = SessionDataDetectors.failedRequests(List.of(failure)).get(0);
                    runOf.get(action).signals.add(new IncidentSignal(SeverityReasons.withReason(finding, failure),
                            action.offsetSeconds(), false, request(failure)));
                });
        List<ConsoleError> loneErrors = pin(nonNull(session.consoleErrors),
                error -> PagePattern.of(error.url) + "\u001f" + Fingerprint.normalizeMessage(error.message),
                error -> error.offsetSeconds, actions, (error, action) -> {
                    Finding finding = SeverityReasons.withReason(SessionDataDetectors.consoleErrors(List.of(error))
                            .get(0));
                    runOf.get(action).signals.add(new IncidentSignal(finding, action.offsetSeconds(),
                            finding.severity() == Severity.red, null));
                });
        // console errors, then failed requests, then what the recording shows: the order the models are shown
        lone.addAll(SeverityReasons.withReasons(SessionDataDetectors.consoleErrors(loneErrors)));
        lone.addAll(SeverityReasons.withReasons(SessionDataDetectors.failedRequests(loneFailures)));

        // what the recording shows: most signals name their action; an error page is pinned by time
        for (RecordingSignal signal : recording.signals()) {
            UserAction action = signal.hasAction() ? actionAt(actions, signal.actionSeconds())
                    : actionBefore(actions, signal.finding().offsetSeconds());
            if (action == null) {
                lone.add(signal.finding());
            } else {
                runOf.get(action).signals.add(new IncidentSignal(signal.finding(), action.offsetSeconds(), false,
                        null));
            }
        }

        List<Finding> findings = new ArrayList<>(lone);
        for (Run run : runs) {
            if (!run.signals.isEmpty()) {
                findings.add(incident(run));
            }
        }
        return findings;
    }

    /**
     * Hands each item to the action just before it, grouped by what makes them the same signal (an endpoint, an
     * error message); returns the items of the groups that also occur away from any action: background, not caused
     * by a click that happened to come before one of them.
     */
    private static <T> List<T> pin(List<T> items, Function<T, String> sameSignal, ToDoubleFunction<T> seconds,
            List<UserAction> actions, BiConsumer<T, UserAction> pinned) {
        Map<String, List<T>> bySignal = new LinkedHashMap<>();
        for (T item : items) {
            bySignal.computeIfAbsent(sameSignal.apply(item), key -> new ArrayList<>()).add(item);
        }
        List<T> background = new ArrayList<>();
        for (List<T> same : bySignal.values()) {
            if (same.stream().anyMatch(item -> actionBefore(actions, seconds.applyAsDouble(item)) == null)) {
                background.addAll(same);
            } else {
                same.forEach(item -> pinned.accept(item, actionBefore(actions, seconds.applyAsDouble(item))));
            }
        }
        return background;
    }

    /** The run, when the action is the same control used again soon enough to be a retry. */
    private static Run retried(Run run, UserAction action) {
        return run != null && action.offsetSeconds() - run.lastAt() <= RETRY_SECONDS ? run : null;
    }

    private static Finding incident(Run run) {
        List<IncidentSignal> signals = new ArrayList<>(run.signals);
        IncidentSignal primary = signals.stream().min(Comparator.comparingInt(IncidentSignal::rank)).orElseThrow();
        Severity severity = signals.stream().map(signal -> signal.finding().severity())
                .min(Comparator.naturalOrder()).orElseThrow();
        String reason = signals.stream().filter(signal -> signal.finding().severity() == severity)
                .min(Comparator.comparingInt(IncidentSignal::rank)).map(signal -> signal.finding().severityReason())
                .orElse(null);
        double at = signals.stream().mapToDouble(IncidentSignal::actionSeconds).min().orElseThrow();
        UserAction action = run.actions.stream().filter(candidate -> candidate.offsetSeconds() >= at).findFirst()
                .orElse(run.first());

        List<Finding.Signal> evidence = new ArrayList<>();
        for (UserAction each : run.actions) {
            evidence.add(new Finding.Signal("action", each.offsetSeconds(), IncidentText.action(each)));
        }
        signals.sort(Comparator.comparingDouble(signal -> signal.finding().offsetSeconds()));
        for (IncidentSignal signal : signals) {
            evidence.add(new Finding.Signal(signal.evidenceKind(), signal.finding().offsetSeconds(),
                    signal.finding().description()));
        }
        evidence.sort(Comparator.comparingDouble(Finding.Signal::offsetSeconds));
        Finding root = primary.finding();
        return new Finding(root.kind(), severity, IncidentText.title(action, run.actions, signals),
                IncidentText.description(action, run.actions, signals, reason), at, action.page(),
                action.element(), root.signature(), AnalysisSource.session_data, null, reason, evidence);
    }

    /** The latest action at most {@link #AFTER_ACTION_SECONDS} before the moment, or null. */
    static UserAction actionBefore(List<UserAction> actions, double seconds) {
        // the last action no later than the moment (actions are in time order)
        int low = 0;
        int high = actions.size() - 1;
        int last = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (actions.get(middle).offsetSeconds() <= seconds + BEFORE_ACTION_SECONDS) {
                last = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return last >= 0 && seconds - actions.get(last).offsetSeconds() <= AFTER_ACTION_SECONDS ? actions.get(last)
                : null;
    }

    /** The action at that moment (the click a dead click or a banner answers), else the one before it. */
    private static UserAction actionAt(List<UserAction> actions, double seconds) {
        int low = 0;
        int high = actions.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            double at = actions.get(middle).offsetSeconds();
            if (Math.abs(at - seconds) < 0.0005) {
                return actions.get(middle);
            }
            if (at < seconds) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return actionBefore(actions, seconds);
    }

    private static String endpoint(NetworkFailure failure) {
        return (failure.method == null ? "GET" : failure.method.toUpperCase()) + " " + PagePattern.of(failure.url);
    }

    static String request(NetworkFailure failure) {
        return endpoint(failure) + " → " + (failure.status == 0 ? "no response" : String.valueOf(failure.status));
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
