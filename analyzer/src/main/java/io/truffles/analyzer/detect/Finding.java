package io.truffles.analyzer.detect;

import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.Severity;

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
        ModelNote model) {

    /** A deterministic detector's finding. */
    public Finding(FindingKind kind, Severity severity, String title, String description, double offsetSeconds,
            String page, String element, String signature) {
        this(kind, severity, title, description, offsetSeconds, page, element, signature,
                AnalysisSource.session_data, null);
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
        return new Finding(kind, severity.ordinal() <= other.severity.ordinal() ? severity : other.severity, title,
                description, offsetSeconds, page, element, signature, merged, note);
    }

    /** Stable across sessions for the same problem: page pattern + element + signature. */
    public String fingerprint() {
        return Fingerprint.of(kind, page, element, signature);
    }
}
