package io.truffles.analyzer.detect;

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
 */
public record Finding(
        FindingKind kind,
        Severity severity,
        String title,
        String description,
        double offsetSeconds,
        String page,
        String element,
        String signature) {

    /** Stable across sessions for the same problem: page pattern + element + signature. */
    public String fingerprint() {
        return Fingerprint.of(kind, page, element, signature);
    }
}
