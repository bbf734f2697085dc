package io.truffles.agentrunner.worktree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Makes and removes agents' checkouts as linked worktrees of the local clone at {@code REPO_CLONE_PATH}, under
 * {@code WORKTREE_BASE_PATH/<agentSession id>}. The git CLI does this (JGit has no worktree support). Every operation is
 * idempotent, so a retry after a crash finds the same names and clears what the crashed run left.
 */
public final class Worktrees {
    private static final Logger LOG = Logger.getLogger(Worktrees.class);
    public static final String BRANCH_PREFIX = "truffles/fix-";

    private final Path clone;
    private final Path base;

    public Worktrees(Path clone, Path base) {
        this.clone = clone.toAbsolutePath().normalize();
        this.base = base.toAbsolutePath().normalize();
    }

    public Path cloneDir() {
        return clone;
    }

    public Path base() {
        return base;
    }

    /** {@code truffles/fix-<last 8 hex digits of the issue id>}: the same issue always gets the same branch. */
    public static String branchFor(String issueId) {
        String shortId = issueId.length() > 8 ? issueId.substring(issueId.length() - 8) : issueId;
        return BRANCH_PREFIX + shortId;
    }

    /** Fetches {@code origin} and answers its default branch (what {@code origin/HEAD} points at, else main/master). */
    public String fetchDefaultBranch() {
        GitCli.run(clone, "fetch", "--prune", "origin");
        try {
            String head = GitCli.run(clone, "symbolic-ref", "--short", "refs/remotes/origin/HEAD");
            return head.substring(head.indexOf('/') + 1);
        } catch (GitException noOriginHead) {
            for (String candidate : List.of("main", "master")) {
                try {
                    GitCli.run(clone, "rev-parse", "--verify", "--quiet", "refs/remotes/origin/" + candidate);
                    return candidate;
                } catch (GitException absent) {
                    // try the next name
                }
            }
            throw new GitException("origin of " + clone + " has no HEAD, main or master branch to start fixes from");
        }
    }

    /**
     * Creates {@code <base>/<id>} on a fresh {@code branch} from {@code origin/<defaultBranch>}. A leftover worktree or
     * branch of the same name (a crashed attempt) is removed first, so the agent always starts clean.
     */
    public Worktree create(String id, String branch, String defaultBranch) {
        Path path = pathOf(id);
        remove(id, branch);
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            throw new GitException("Cannot create WORKTREE_BASE_PATH " + base + ": " + e.getMessage(), e);
        }
        GitCli.run(clone, "worktree", "add", "-b", branch, path.toString(), "origin/" + defaultBranch);
        Path commonDir = Path.of(GitCli.run(clone, "rev-parse", "--path-format=absolute", "--git-common-dir"));
        Path gitDir = Path.of(GitCli.run(path, "rev-parse", "--path-format=absolute", "--git-dir"));
        return new Worktree(id, path, branch, gitDir, commonDir);
    }

    /** Removes the worktree of {@code id} and deletes its local branch; does nothing for what is already gone. */
    public void remove(String id, String branch) {
        Path path = pathOf(id);
        if (registered().contains(path)) {
            GitCli.run(clone, "worktree", "remove", "--force", "--force", path.toString());
        }
        deleteTree(path);
        GitCli.run(clone, "worktree", "prune");
        if (branch != null && branchExists(branch)) {
            GitCli.run(clone, "branch", "-D", branch);
        }
    }

    /**
     * Start-up cleanup after a crash: removes every worktree under the base folder and every {@code truffles/fix-*}
     * branch whose agent is not in {@code keepIds} (agents another runner still holds).
     */
    public List<String> cleanStale(Collection<String> keepIds) {
        Set<String> keep = Set.copyOf(keepIds);
        List<String> removed = new ArrayList<>();
        GitCli.run(clone, "worktree", "prune");
        List<Path> candidates = new ArrayList<>(registered().stream().filter(p -> base.equals(p.getParent())).toList());
        if (Files.isDirectory(base)) {
            try (Stream<Path> children = Files.list(base)) {
                children.filter(p -> !candidates.contains(p)).forEach(candidates::add);
            } catch (IOException e) {
                throw new GitException("Cannot list WORKTREE_BASE_PATH " + base + ": " + e.getMessage(), e);
            }
        }
        Set<String> keptBranches = new java.util.HashSet<>();
        for (Path path : candidates) {
            String id = path.getFileName().toString();
            if (keep.contains(id)) {
                branchOf(path).ifPresent(keptBranches::add);
                continue;
            }
            remove(id, null);
            removed.add(id);
        }
        for (String branch : GitCli.run(clone, "for-each-ref", "--format=%(refname:short)",
                "refs/heads/" + BRANCH_PREFIX + "*").lines().filter(l -> !l.isBlank()).toList()) {
            if (!keptBranches.contains(branch)) {
                GitCli.run(clone, "branch", "-D", branch);
            }
        }
        if (!removed.isEmpty()) {
            LOG.infof("Removed %d stale agent worktree(s) left by an earlier run: %s", removed.size(), removed);
        }
        return removed;
    }

    public Path pathOf(String id) {
        if (!id.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("Not a worktree id: " + id);
        }
        return base.resolve(id);
    }

    private boolean branchExists(String branch) {
        try {
            GitCli.run(clone, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch);
            return true;
        } catch (GitException absent) {
            return false;
        }
    }

    private java.util.Optional<String> branchOf(Path worktree) {
        String porcelain = GitCli.run(clone, "worktree", "list", "--porcelain");
        String current = null;
        for (String line : porcelain.lines().toList()) {
            if (line.startsWith("worktree ")) {
                current = line.substring("worktree ".length());
            } else if (line.startsWith("branch refs/heads/") && worktree.toString().equals(current)) {
                return java.util.Optional.of(line.substring("branch refs/heads/".length()));
            }
        }
        return java.util.Optional.empty();
    }

    private List<Path> registered() {
        return GitCli.run(clone, "worktree", "list", "--porcelain").lines()
                .filter(l -> l.startsWith("worktree "))
                .map(l -> Path.of(l.substring("worktree ".length())).normalize())
                .toList();
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // walk does not follow symlinks: a link the agent made is deleted, never what it points at
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new GitException("Cannot delete worktree folder " + path + ": " + e.getMessage(), e);
        }
    }
}
