package io.truffles.agentrunner.github;

import io.truffles.core.config.TrufflesConfig;
import io.truffles.core.retry.RetryAfter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Opens and follows the runner's pull requests on {@code GITHUB_REPO}. Creating is idempotent: an open PR for the
 * branch is found and reused (a retry after a crash), a draft refused by the plan falls back to a normal PR, and the
 * {@code truffles-autofix} label is added. Rate limits (403/429 with {@code retry-after} or
 * {@code x-ratelimit-remaining: 0}) surface as retryable errors naming when to try again. Never merges.
 */
@ApplicationScoped
public class GitHubClient {
    private static final Logger LOG = Logger.getLogger(GitHubClient.class);
    public static final String LABEL = "truffles-autofix";

    /** GitHub's advice for a secondary limit that names no time: wait at least a minute. */
    private static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);

    private final GitHubApi api;
    private final TrufflesConfig config;
    private final Clock clock;

    GitHubClient(@RestClient GitHubApi api, TrufflesConfig config, Clock clock) {
        this.api = api;
        this.config = config;
        this.clock = clock;
    }

    /** Whether a token and a repository are configured; without them no PR can be opened. */
    public boolean configured() {
        return config.github().token().isPresent() && config.github().repo().filter(r -> r.contains("/")).isPresent();
    }

    public OpenedPullRequest openPullRequest(String branch, String base, String title, String body) {
        String[] repo = repo();
        Optional<GitHubApi.PullRequest> existing = call("find the PR of " + branch,
                () -> api.findPulls(auth(), repo[0], repo[1], repo[0] + ":" + branch, "open")).stream().findFirst();
        if (existing.isPresent()) {
            GitHubApi.PullRequest pr = existing.get();
            LOG.infof("Pull request #%d for %s already exists; reusing it", pr.number(), branch);
            labelQuietly(repo, pr.number());
            return new OpenedPullRequest(pr.number(), pr.htmlUrl(), true, Boolean.TRUE.equals(pr.draft()));
        }
        GitHubApi.PullRequest created;
        boolean draft = true;
        try {
            created = api.createPull(auth(), repo[0], repo[1], new GitHubApi.NewPull(title, branch, base, body, true, true));
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() != 422 || !bodyOf(e).toLowerCase().contains("draft")) {
                throw translate("create the PR of " + branch, e);
            }
            // plans without draft PRs answer 422 naming drafts: open a normal one instead
            draft = false;
            created = call("create the PR of " + branch, () -> api.createPull(auth(), repo[0], repo[1],
                    new GitHubApi.NewPull(title, branch, base, body, false, true)));
        }
        labelQuietly(repo, created.number());
        return new OpenedPullRequest(created.number(), created.htmlUrl(), false, draft);
    }

    public PullRequestState state(int number) {
        String[] repo = repo();
        GitHubApi.PullRequest pr = call("read PR #" + number, () -> api.getPull(auth(), repo[0], repo[1], number));
        if ("open".equals(pr.state())) {
            return PullRequestState.OPEN;
        }
        return Boolean.TRUE.equals(pr.merged()) || pr.mergedAt() != null ? PullRequestState.MERGED
                : PullRequestState.CLOSED_UNMERGED;
    }

    private void labelQuietly(String[] repo, int number) {
        call("label PR #" + number, () -> api.addLabels(auth(), repo[0], repo[1], number,
                new GitHubApi.Labels(List.of(LABEL))));
    }

    private String[] repo() {
        String repo = config.github().repo().orElseThrow(() -> new GitHubException(
                "GITHUB_REPO is not set (owner/name of the product's repository): cannot open pull requests", false,
                null));
        return repo.split("/", 2);
    }

    private String auth() {
        return "Bearer " + config.github().token().orElseThrow(() -> new GitHubException(
                "GITHUB_TOKEN is not set: cannot open pull requests", false, null)).reveal();
    }

    private <T> T call(String what, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            throw translate(what, e);
        } catch (RuntimeException e) {
            throw new GitHubException("Could not " + what + " on GitHub: " + e.getMessage(), true, e);
        }
    }

    private GitHubException translate(String what, WebApplicationException e) {
        Response response = e.getResponse();
        int status = response.getStatus();
        String retryAfter = response.getHeaderString("retry-after");
        String remaining = response.getHeaderString("x-ratelimit-remaining");
        String reset = response.getHeaderString("x-ratelimit-reset");
        if ((status == 403 || status == 429) && (retryAfter != null || "0".equals(remaining))) {
            Instant retryAt = rateLimitEnd(retryAfter, reset);
            return new GitHubException("GitHub rate limit while trying to " + what + "; retry at " + retryAt, true, e,
                    retryAt);
        }
        boolean retryable = status >= 500 || status == 429;
        String hint = status == 401 ? " (GITHUB_TOKEN is invalid or expired)"
                : status == 404 ? " (check GITHUB_REPO and that the token can see it)" : "";
        return new GitHubException("GitHub answered " + status + " when trying to " + what + hint + ": "
                + bodyOf(e), retryable, e);
    }

    /** {@code retry-after} (seconds or a date), else the {@code x-ratelimit-reset} epoch second, else a minute. */
    private Instant rateLimitEnd(String retryAfter, String reset) {
        return RetryAfter.until(retryAfter, clock).or(() -> epochSecond(reset))
                .orElseGet(() -> clock.instant().plus(SECONDARY_LIMIT_WAIT));
    }

    private static Optional<Instant> epochSecond(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond(Long.parseLong(value.trim())));
        } catch (NumberFormatException unreadable) {
            return Optional.empty();
        }
    }

    private static String bodyOf(WebApplicationException e) {
        try {
            String body = e.getResponse().readEntity(String.class);
            return body == null ? "" : body.length() > 500 ? body.substring(0, 500) : body;
        } catch (RuntimeException unreadable) {
            return "";
        }
    }
}
