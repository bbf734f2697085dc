package io.truffles.core.documents;

/**
 * One signal behind an issue: a failed request, a console error, a dead click, a loading indicator that never went
 * away… An incident groups the signals of one user action into one issue; each stays here, so nothing is lost by
 * grouping and the agent sent to fix it sees all of them.
 */
public class IssueEvidence {
    /** What the signal is: {@code action}, {@code failed_request}, {@code console_error}, {@code dead_click}, … */
    public String kind;
    /** Seconds into the first session's video, like {@link Issue#timestamp}. */
    public Double time;
    /** The signal in words: the request and status, the message, the element… */
    public String detail;

    public IssueEvidence() {
    }

    public IssueEvidence(String kind, Double time, String detail) {
        this.kind = kind;
        this.time = time;
        this.detail = detail;
    }
}
