package io.truffles.core.documents;

/** Why a session was or was not sent to the video models, shown on the session page. */
public class VideoDecision {
    /** Whether the video models were asked to watch it. */
    public boolean sent;
    /** In words, e.g. {@code "no signals; 10 % sample not drawn"}. */
    public String reason;

    public VideoDecision() {
    }

    public VideoDecision(boolean sent, String reason) {
        this.sent = sent;
        this.reason = reason;
    }
}
