package io.truffles.agentrunner.worktree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorktreesIT {
    @TempDir
    Path root;
    LocalRepos repos;
    Worktrees worktrees;

    @BeforeEach
    void repos() throws Exception {
        repos = LocalRepos.create(root);
        worktrees = new Worktrees(repos.cloneDir(), repos.worktreeBase());
    }

    @Test
    void branchNameIsDeterministicFromTheIssueId() {
        assertThat(Worktrees.branchFor("665f1c2a9b3e4d5f6a7b8c9d")).isEqualTo("truffles/fix-6a7b8c9d");
        assertThat(Worktrees.branchFor("665f1c2a9b3e4d5f6a7b8c9d"))
                .isEqualTo(Worktrees.branchFor("665f1c2a9b3e4d5f6a7b8c9d"));
    }

    @Test
    void createsACheckoutOfOriginsDefaultBranchOnTheFixBranchAndRemovesItWithItsBranch() throws Exception {
        String base = worktrees.fetchDefaultBranch();
        Worktree worktree = worktrees.create("a1", "truffles/fix-0000beef", base);

        assertThat(base).isEqualTo("main");
        assertThat(worktree.path()).isEqualTo(repos.worktreeBase().resolve("a1"));
        assertThat(worktree.path().resolve("src/cart.js")).exists();
        assertThat(LocalRepos.git(worktree.path(), "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo("truffles/fix-0000beef");
        assertThat(worktree.commonDir()).isEqualTo(repos.cloneDir().resolve(".git").toRealPath());
        assertThat(worktree.gitDir()).startsWith(worktree.commonDir().resolve("worktrees"));

        worktrees.remove("a1", "truffles/fix-0000beef");

        assertThat(worktree.path()).doesNotExist();
        // the path, not the bare id: a commit hash in the listing may hold "a1"
        assertThat(LocalRepos.git(repos.cloneDir(), "worktree", "list")).doesNotContain(worktree.path().toString());
        assertThat(LocalRepos.git(repos.cloneDir(), "branch", "--list", "truffles/*")).isEmpty();
    }

    @Test
    void jgitSeesTheAgentsChangesAndCommitsThemWithoutRunningHooks() throws Exception {
        Worktree worktree = worktrees.create("a2", "truffles/fix-00000002", worktrees.fetchDefaultBranch());
        Path hookRan = root.resolve("hook-ran");
        for (String hook : List.of("pre-commit", "commit-msg", "post-commit")) {
            Path file = worktree.commonDir().resolve("hooks").resolve(hook);
            Files.writeString(file, "#!/bin/sh\ntouch " + hookRan + "\n");
            file.toFile().setExecutable(true);
        }
        Files.writeString(worktree.path().resolve("src/cart.js"), "export const total = () => 0;\n");
        Files.writeString(worktree.path().resolve("src/new.js"), "export const x = 1;\n");

        try (Checkout checkout = new Checkout(worktree)) {
            assertThat(checkout.changedFiles()).containsExactly("src/cart.js", "src/new.js");
            assertThat(checkout.diff()).contains("-  return items.reduce").contains("+export const total = () => 0;");
            checkout.commit("Fix the cart total", new PersonIdent("Truffles", "truffles@example.test"),
                    checkout.changedFiles());
            assertThat(checkout.changedFiles()).isEmpty();
        }

        assertThat(hookRan).doesNotExist();
        assertThat(LocalRepos.git(repos.cloneDir(), "log", "-1", "--format=%s", "truffles/fix-00000002"))
                .isEqualTo("Fix the cart total");
        assertThat(LocalRepos.git(repos.cloneDir(), "show", "--name-only", "--format=", "truffles/fix-00000002"))
                .contains("src/cart.js", "src/new.js");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aFifoTheAgentLeftIsNeitherReadNorCommittedAndTheRestIs() throws Exception {
        Worktree worktree = worktrees.create("a5", "truffles/fix-00000005", worktrees.fetchDefaultBranch());
        Files.writeString(worktree.path().resolve("src/cart.js"), "export const total = () => 0;\n");
        Files.delete(worktree.path().resolve("README.md"));
        // a FIFO opened for reading blocks until someone writes: git add of "." would wait forever
        Process mkfifo = new ProcessBuilder("mkfifo", worktree.path().resolve("src/pipe").toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        try (Checkout checkout = new Checkout(worktree)) {
            assertThat(checkout.unsupportedFiles()).containsExactly("src/pipe");
            List<String> files = new java.util.ArrayList<>(checkout.changedFiles());
            files.removeAll(checkout.unsupportedFiles());
            assertThat(files).containsExactly("README.md", "src/cart.js");
            checkout.commit("Fix", new PersonIdent("Truffles", "truffles@example.test"), files);
            assertThat(checkout.contentAtHead("src/cart.js")).isEqualTo("export const total = () => 0;\n");
        }

        assertThat(LocalRepos.git(repos.cloneDir(), "show", "--name-status", "--format=", "truffles/fix-00000005"))
                .contains("D\tREADME.md", "M\tsrc/cart.js").doesNotContain("pipe");
    }

    @Test
    void aRetryAfterACrashStartsCleanOnTheSameBranch() throws Exception {
        Worktree first = worktrees.create("a3", "truffles/fix-00000003", "main");
        Files.writeString(first.path().resolve("half-done.txt"), "left by a crashed agent\n");

        Worktree again = worktrees.create("a3", "truffles/fix-00000003", "main");

        assertThat(again.path().resolve("half-done.txt")).doesNotExist();
        assertThat(again.branch()).isEqualTo("truffles/fix-00000003");
    }

    @Test
    void startUpRemovesStaleWorktreesAndBranchesButKeepsLiveOnes() throws Exception {
        worktrees.create("dead1", "truffles/fix-0000dead", "main");
        worktrees.create("live1", "truffles/fix-0000a11e", "main");
        Files.createDirectories(repos.worktreeBase().resolve("orphan-folder"));
        LocalRepos.git(repos.cloneDir(), "branch", "truffles/fix-0rphan00", "main");

        List<String> removed = worktrees.cleanStale(List.of("live1"));

        assertThat(removed).containsExactlyInAnyOrder("dead1", "orphan-folder");
        assertThat(repos.worktreeBase().resolve("dead1")).doesNotExist();
        assertThat(repos.worktreeBase().resolve("live1")).exists();
        assertThat(LocalRepos.git(repos.cloneDir(), "branch", "--list", "truffles/*", "--format=%(refname:short)"))
                .isEqualTo("truffles/fix-0000a11e");
    }

    @Test
    void removalNeverFollowsASymlinkOutOfTheCheckout() throws Exception {
        Worktree worktree = worktrees.create("a4", "truffles/fix-00000004", "main");
        Path outside = Files.createDirectories(root.resolve("precious"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Files.createSymbolicLink(worktree.path().resolve("link"), outside);

        worktrees.remove("a4", "truffles/fix-00000004");

        assertThat(outside.resolve("keep.txt")).hasContent("keep");
    }
}
