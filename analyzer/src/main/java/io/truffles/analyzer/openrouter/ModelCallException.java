package io.truffles.analyzer.openrouter;

/**
 * A model call that did not produce an answer. {@link #stopsModelCalls()} is true when no call can succeed until a
 * person acts (key rejected, out of credits): the analyzer then stops calling models and says why, and its
 * detectors carry on.
 */
public class ModelCallException extends Exception {
    private final boolean stopsModelCalls;
    private final double costUsd;

    public ModelCallException(String message, boolean stopsModelCalls, double costUsd) {
        super(message);
        this.stopsModelCalls = stopsModelCalls;
        this.costUsd = costUsd;
    }

    public boolean stopsModelCalls() {
        return stopsModelCalls;
    }

    /** What the failed attempts were charged. */
    public double costUsd() {
        return costUsd;
    }
}
