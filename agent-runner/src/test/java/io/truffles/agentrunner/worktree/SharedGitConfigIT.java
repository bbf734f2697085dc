package io.truffles.agentrunner.worktree;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.agentrunner.github.BranchPusher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A git configuration another local user could write where the runner's git would read it — {@code .gitconfig} in the
 * temp folder (the CLI's HOME before) and in the runner's user home (JGit's) — asks for commands to run on fetch,
 * checkout and commit and sends fetches to another repository. The runner's real git and JGit do none of it. Any real
 * file at those places is put back afterwards.
 */
class SharedGitConfigIT {
    @TempDir
    Path root;
    LocalRepos repos;
    Path elsewhere;
    final List<Path[]> backups = new ArrayList<>();

    @BeforeEach
    void plantConfig() throws Exception {
        repos = LocalRepos.create(root);
        // another repository whose main differs: a fetch sent there would bring its commit
        elsewhere = root.resolve("elsewhere.git");
        LocalRepos.git(root, "clone", "-q", "--bare", repos.origin().toString(), elsewhere.toString());
        Path scratch = root.resolve("scratch");
        LocalRepos.git(root, "clone", "-q", elsewhere.toString(), scratch.toString());
        Files.writeString(scratch.resolve("README.md"), "# not the product\n");
        LocalRepos.git(scratch, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qam", "elsewhere");
        LocalRepos.git(scratch, "push", "-q", "origin", "main");

        // each command writes a marker only when it runs for this test's repositories, and passes content through,
        // so another build on this machine reading the same file meanwhile is not disturbed
        Path filter = script("filter.sh", "case \"$(pwd)\" in " + root + "*) touch " + root + "/ran-$1 ;; esac\n"
                + "exec cat\n");
        Path packHook = script("pack-hook.sh", "case \"$(pwd)\" in " + root + "*) touch " + root + "/ran-pack ;; esac\n"
                + "exec \"$@\"\n");
        Path fsmonitor = script("fsmonitor.sh", "touch " + root + "/ran-fsmonitor\n");
        Path attributes = root.resolve("probe-attributes");
        Files.writeString(attributes, "*.js filter=truffleprobe\n*.md filter=truffleprobe\n");
        String config = "[url \"" + elsewhere + "\"]\n\tinsteadOf = " + repos.origin() + "\n"
                + "[uploadpack]\n\tpackObjectsHook = " + packHook + "\n"
                + "[core]\n\tfsmonitor = " + fsmonitor + "\n\tattributesFile = " + attributes + "\n"
                + "[filter \"truffleprobe\"]\n\tclean = " + filter + " clean\n\tsmudge = " + filter + " smudge\n";
        for (Path home : List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of(System.getProperty("user.home")))) {
            plant(home.resolve(".gitconfig"), config);
        }
    }

    @AfterEach
    void restore() throws Exception {
        for (Path[] backup : backups) {
            if (backup[1] == null) {
                Files.deleteIfExists(backup[0]);
            } else {
                Files.move(backup[1], backup[0], StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void theRunnersGitAndJGitReadNoConfigurationButTheRepositorysOwn() throws Exception {
        Worktrees worktrees = new Worktrees(repos.cloneDir(), repos.worktreeBase());

        String base = worktrees.fetchDefaultBranch();
        Worktree worktree = worktrees.create("probe", "truffles/fix-0000c0f1", base);
        try (Checkout checkout = new Checkout(worktree)) {
            Files.writeString(worktree.path().resolve("src/cart.js"), "export const fixed = true;\n");
            checkout.commit("fix", new PersonIdent("Truffles", "truffles@example.test"), checkout.changedFiles());
            BranchPusher.push(checkout, repos.origin().toString(), worktree.branch(), Optional.of("ghp_notsent123"));
        } finally {
            worktrees.remove("probe", "truffles/fix-0000c0f1");
        }

        try (var markers = Files.list(root)) {
            assertThat(markers.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ran-")))
                    .as("commands named by the planted configuration that ran").isEmpty();
        }
        // the fetch came from origin, and the push went there, not to the repository insteadOf named
        assertThat(LocalRepos.git(repos.cloneDir(), "rev-parse", "origin/main"))
                .isEqualTo(LocalRepos.git(repos.origin(), "rev-parse", "main"));
        assertThat(LocalRepos.git(repos.origin(), "branch", "--list", "truffles/fix-0000c0f1")).isNotBlank();
        assertThat(LocalRepos.git(elsewhere, "branch", "--list", "truffles/*")).isBlank();
    }

    @Test
    void thePrivateHomeIsTheRunnersAlone() throws Exception {
        Path home = PrivateGitConfig.install(root.resolve("data/agent-runner/git-home"));

        assertThat(Files.getPosixFilePermissions(home)).containsExactlyInAnyOrderElementsOf(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        assertThat(LocalRepos.git(repos.cloneDir(), "config", "--list", "--show-origin"))
                .as("what the runner's git reads: the repository's own configuration only")
                .doesNotContainIgnoringCase("insteadof").doesNotContain("packobjectshook", ".gitconfig");
    }

    private Path script(String name, String body) throws Exception {
        Path file = root.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        file.toFile().setExecutable(true, false);
        return file;
    }

    private void plant(Path file, String content) throws Exception {
        Path backup = null;
        if (Files.exists(file)) {
            backup = root.resolve("backup-" + backups.size());
            Files.move(file, backup);
        }
        backups.add(new Path[] {file, backup});
        Files.writeString(file, content);
    }
}
