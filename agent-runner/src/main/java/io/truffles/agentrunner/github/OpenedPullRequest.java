package io.truffles.agentrunner.github;

/** A pull request the runner opened or found again: {@code reused} when it already existed (a retry after a crash). */
public record OpenedPullRequest(int number, String url, boolean reused, boolean draft) {
}
