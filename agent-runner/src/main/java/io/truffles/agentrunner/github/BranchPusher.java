package io.truffles.agentrunner.github;

import io.truffles.agentrunner.worktree.Checkout;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Pushes an agent's branch with JGit. The token goes to JGit's credentials provider in memory only: never into
 * {@code .git/config}, a URL, argv or a log line. The push forces the branch, since its name is deterministic and a
 * retry after a crash must replace what an earlier attempt pushed.
 */
public final class BranchPusher {
    private BranchPusher() {
    }

    /**
     * @param remoteUrl {@code https://github.com/owner/repo.git} in production, a path or file URL to a bare repository
     *                  in tests
     */
    public static void push(Checkout checkout, String remoteUrl, String branch, Optional<String> token) {
        try {
            var push = new Git(checkout.repository()).push()
                    .setRemote(new URIish(remoteUrl).toString())
                    .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch))
                    .setAtomic(false);
            token.ifPresent(t -> push.setCredentialsProvider(new UsernamePasswordCredentialsProvider("x-access-token", t)));
            for (PushResult result : push.call()) {
                for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                    if (update.getStatus() != RemoteRefUpdate.Status.OK
                            && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new GitHubException("Push of " + branch + " was refused: " + update.getStatus()
                                + (update.getMessage() == null ? "" : " " + update.getMessage()), true, null);
                    }
                }
            }
        } catch (GitAPIException | java.net.URISyntaxException e) {
            // JGit's messages name the URL, which never holds the token
            throw new GitHubException("Push of " + branch + " failed: " + e.getMessage(), true, e);
        }
    }
}
