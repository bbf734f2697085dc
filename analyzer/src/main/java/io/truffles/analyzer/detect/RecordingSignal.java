package io.truffles.analyzer.detect;

/**
 * One thing the recording shows went wrong, before grouping: a dead click, a rage click, a loading indicator that
 * never went away, an error banner or page.
 *
 * @param finding       the signal as a finding of its own (what it is filed as when no user action explains it)
 * @param actionSeconds the session time of the user action it answers (the click that did nothing, the click after
 *                      which the banner appeared), or NaN when the recording names none (an error page at load)
 */
public record RecordingSignal(Finding finding, double actionSeconds) {
    public boolean hasAction() {
        return !Double.isNaN(actionSeconds);
    }
}
