package io.truffles.agentrunner.job;

import io.truffles.core.redaction.KnownSecrets;
import java.nio.file.Path;

/**
 * What the runner stores where others read it — the output log (so the WebSocket feed and
 * {@code GET /api/agents/<id>}), errors, reasons — carries no known secret (GitHub token, model key, every
 * {@code .env} secret, the agent's placeholder key) and no host path: the worktree base and the clone become
 * {@code <worktree>} and {@code <clone>}.
 */
record OutputScrubber(KnownSecrets secrets, Path worktreeBase, Path cloneDir) {
    static final String WORKTREE = "<worktree>";
    static final String CLONE = "<clone>";

    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = secrets.scrub(text);
        if (worktreeBase != null) {
            scrubbed = scrubbed.replace(worktreeBase.toString(), WORKTREE);
        }
        if (cloneDir != null) {
            scrubbed = scrubbed.replace(cloneDir.toString(), CLONE);
        }
        return scrubbed;
    }

}
