package io.truffles.analyzer.detect;

import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.Severity;
import io.truffles.core.redaction.Redaction;
import java.util.ArrayList;
import java.util.List;

/**
 * One problem a detector found in one session.
 *
 * @param offsetSeconds session time (seconds since the recording started), not video time: the renderer's
 *                      timeline maps it onto the video
 * @param page          the page's path pattern ({@link PagePattern}), or empty when unknown
 * @param element       a short description of the element involved, or empty
 * @param signature     what makes two occurrences the same problem (an error message without its numbers, an
 *                      endpoint and status class, …)
 * @param source        what found it: the recording's data (detectors, the text model), the video, or both
 * @param model         the model call behind it, {@code null} for a detector's finding
 * @param severityReason why it is red or yellow, in one sentence; {@code null} when the finder gave none
 * @param signals       everything seen that makes it one problem, oldest first (an incident's request, error and
 *                      clicks); empty for a finding that is one signal
 */
public record Finding(
        FindingKind kind,
        Severity severity,
        String title,
        String description,
        double offsetSeconds,
        String page,
        String element,
        String signature,
        AnalysisSource source,
        ModelNote model,
        String severityReason,
        List<Signal> signals) {

    public Finding {
        // whatever a detector quoted from the page, or a model repeated of it, is shown and prompted redacted
        title = Redaction.text(title);
        description = Redaction.text(description);
        signals = List.copyOf(signals);
    }

    /** A finding that is one signal, as a model reports it. */
    public Finding(FindingKind kind, Severity severity, String title, String description, double offsetSeconds,
            String page, String element, String signature, AnalysisSource source, ModelNote model) {
        this(kind, severity, title, description, offsetSeconds, page, element, signature, source, model, null,
                List.of());
    }

    /** A deterministic detector's finding. */
    public Finding(FindingKind kind, Severity severity, String title, String description, double offsetSeconds,
            String page, String element, String signature) {
        this(kind, severity, title, description, offsetSeconds, page, element, signature,
                AnalysisSource.session_data, null);
    }

    /**
     * One thing seen in the session, kept on the issue as evidence.
     *
     * @param kind          {@code action}, {@code failed_request}, {@code console_error}, {@code dead_click}, …
     * @param offsetSeconds session time
     */
    public record Signal(String kind, double offsetSeconds, String detail) {
        public Signal {
            detail = Redaction.text(detail);
        }
    }

    /** The same finding with a reason for its severity. */
    public Finding withSeverityReason(String reason) {
        return new Finding(kind, severity, title, description, offsetSeconds, page, element, signature, source, model,
                reason, signals);
    }

    /** Which model said it, with which prompt, why, and at what cost. */
    public record ModelNote(String model, String promptVersion, String reasoning, long promptTokens,
            long completionTokens, double costUsd) {

        /** Two models said it: both are named, both reasonings kept, the costs added. */
        public ModelNote and(ModelNote other) {
            if (other == null || other.equals(this)) {
                return this;
            }
            return new ModelNote(model + " + " + other.model, promptVersion + " + " + other.promptVersion,
                    reasoning + "\n\n" + other.model + ": " + other.reasoning, promptTokens + other.promptTokens,
                    completionTokens + other.completionTokens, costUsd + other.costUsd);
        }
    }

    /**
     * The same finding, now confirmed by another source: the video and the session data together make {@code both};
     * the models' notes are kept (both, when both were models).
     */
    public Finding confirmedBy(Finding other) {
        AnalysisSource merged = source == other.source ? source : AnalysisSource.both;
        ModelNote note = model == null ? other.model : model.and(other.model);
        boolean otherIsWorse = other.severity.ordinal() < severity.ordinal();
        // an incident keeps what the model saw next to its own signals
        List<Signal> all = new ArrayList<>(signals);
        if (!signals.isEmpty()) {
            all.add(new Signal(other.source == AnalysisSource.video ? "video_model" : "text_model",
                    other.offsetSeconds, other.title));
        }
        return new Finding(kind, otherIsWorse ? other.severity : severity, title, description, offsetSeconds, page,
                element, signature, merged, note,
                otherIsWorse && other.severityReason != null ? other.severityReason : severityReason, all);
    }

    /** Stable across sessions for the same problem: page pattern + element + signature. */
    public String fingerprint() {
        return Fingerprint.of(kind, page, element, signature);
    }
}
