package io.truffles.agentrunner.worktree;

import java.nio.file.Path;

/**
 * One agent's checkout: a linked worktree of the product's clone on its own branch.
 *
 * @param id        the agentSession id, the worktree's folder name
 * @param path      the checkout's files (the agent's only writable place)
 * @param branch    {@code truffles/fix-<issue-id-short>}
 * @param gitDir    the worktree's own git directory inside the clone's {@code .git/worktrees/}
 * @param commonDir the clone's shared {@code .git} (config, hooks, objects, refs)
 */
public record Worktree(String id, Path path, String branch, Path gitDir, Path commonDir) {
}
