package io.truffles.core.documents;

public class IssueCount {
    public int red;
    public int yellow;

    public IssueCount() {
    }

    public IssueCount(int red, int yellow) {
        this.red = red;
        this.yellow = yellow;
    }
}
