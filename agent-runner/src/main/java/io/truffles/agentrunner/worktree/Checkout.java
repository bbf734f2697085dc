package io.truffles.agentrunner.worktree;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.FileTreeIterator;

/**
 * The runner's view of an agent's checkout through JGit: what changed, the diff, the commit. The repository is opened
 * from the git directories recorded when the worktree was made, never from the checkout's {@code .git} file the agent
 * could have rewritten. Hooks point at an empty folder for this process only (JGit runs post-commit hooks even with
 * no-verify), and JGit has no fsmonitor, so nothing in the checkout or its metadata runs on the host.
 */
public final class Checkout implements AutoCloseable {
    private final Worktree worktree;
    private final Repository repository;
    private final Git git;
    private final Path noHooks;

    public Checkout(Worktree worktree) {
        this.worktree = worktree;
        PrivateGitConfig.home();
        try {
            this.noHooks = Files.createTempDirectory("truffles-no-hooks");
            this.repository = new FileRepositoryBuilder()
                    .setGitDir(worktree.gitDir().toFile())
                    .setWorkTree(worktree.path().toFile())
                    .setup()
                    .build();
            repository.getConfig().setString(ConfigConstants.CONFIG_CORE_SECTION, null,
                    ConfigConstants.CONFIG_KEY_HOOKS_PATH, noHooks.toString());
            this.git = new Git(repository);
        } catch (IOException e) {
            throw new GitException("Cannot open checkout " + worktree.path() + ": " + e.getMessage(), e);
        }
    }

    /** Paths (relative, '/'-separated) added, changed, deleted or untracked since the branch point; sorted. */
    public List<String> changedFiles() {
        try {
            Status status = git.status().call();
            TreeSet<String> files = new TreeSet<>();
            files.addAll(status.getAdded());
            files.addAll(status.getChanged());
            files.addAll(status.getModified());
            files.addAll(status.getRemoved());
            files.addAll(status.getMissing());
            files.addAll(status.getUntracked());
            return new ArrayList<>(files);
        } catch (GitAPIException e) {
            throw new GitException("git status failed in " + worktree.path() + ": " + e.getMessage(), e);
        }
    }

    /** The working tree against HEAD as a unified diff (untracked files included once staged by {@link #commit}). */
    public String diff() {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream();
                DiffFormatter formatter = new DiffFormatter(out)) {
            formatter.setRepository(repository);
            CanonicalTreeParser head = new CanonicalTreeParser();
            try (var reader = repository.newObjectReader()) {
                head.reset(reader, repository.resolve("HEAD^{tree}"));
            }
            List<DiffEntry> entries = formatter.scan(head, new FileTreeIterator(repository));
            formatter.format(entries);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GitException("git diff failed in " + worktree.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Paths (relative, '/'-separated) in the checkout that are neither regular files, folders nor symlinks: FIFOs,
     * sockets, device nodes. Git cannot commit them, and opening a FIFO to read it blocks until someone writes, so
     * nothing reads them: they are left out of the commit.
     */
    public List<String> unsupportedFiles() {
        List<String> found = new ArrayList<>();
        Path root = worktree.path();
        try {
            Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return dir.equals(root.resolve(".git")) ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                            : java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isOther()) {
                        found.add(root.relativize(file).toString().replace('\\', '/'));
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new GitException("Cannot list the files of " + worktree.path() + ": " + e.getMessage(), e);
        }
        return found;
    }

    /** The content of a path at the branch point, or {@code null} when it did not exist there. */
    public String contentAtHead(String path) {
        try (org.eclipse.jgit.treewalk.TreeWalk walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(repository, path,
                repository.parseCommit(repository.resolve("HEAD")).getTree())) {
            return walk == null ? null : new String(repository.open(walk.getObjectId(0)).getBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GitException("Cannot read " + path + " at HEAD in " + worktree.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stages exactly {@code paths} — each added or changed if it is there, removed if it is not — and commits them;
     * answers the commit id. Nothing else in the checkout is read, so a FIFO left elsewhere cannot block the add.
     */
    public String commit(String message, PersonIdent author, List<String> paths) {
        try {
            var add = git.add();
            var remove = git.rm().setCached(true);
            boolean adding = false;
            boolean removing = false;
            for (String path : paths) {
                if (Files.exists(worktree.path().resolve(path), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    add.addFilepattern(path);
                    adding = true;
                } else {
                    remove.addFilepattern(path);
                    removing = true;
                }
            }
            if (adding) {
                add.call();
            }
            if (removing) {
                remove.call();
            }
            RevCommit commit = git.commit()
                    .setMessage(message)
                    .setAuthor(author)
                    .setCommitter(author)
                    .setNoVerify(true)
                    .setSign(false)
                    .call();
            return commit.getId().name();
        } catch (GitAPIException e) {
            throw new GitException("git commit failed in " + worktree.path() + ": " + e.getMessage(), e);
        }
    }

    public Repository repository() {
        return repository;
    }

    @Override
    public void close() {
        repository.close();
        try {
            Files.deleteIfExists(noHooks);
        } catch (IOException ignored) {
            // an empty temp folder left behind harms nothing
        }
    }
}
