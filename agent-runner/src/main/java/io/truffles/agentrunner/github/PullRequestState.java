package io.truffles.agentrunner.github;

/** Where a pull request stands on GitHub, as the status follows it. */
public enum PullRequestState {
    OPEN, MERGED, CLOSED_UNMERGED
}
