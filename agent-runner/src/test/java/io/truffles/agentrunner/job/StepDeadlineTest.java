package io.truffles.agentrunner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.truffles.agentrunner.github.BranchPusher;
import io.truffles.agentrunner.worktree.Checkout;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.agentrunner.worktree.Worktree;
import io.truffles.agentrunner.worktree.Worktrees;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real JGit push to a git server that accepts the connection and never answers: the step ends anyway. */
@Timeout(60)
class StepDeadlineTest {
    @TempDir
    Path root;
    ServerSocket silent;
    final List<Socket> accepted = new ArrayList<>();
    Worktree worktree;
    Checkout checkout;

    @BeforeEach
    void silentRemote() throws Exception {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (java.io.IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        LocalRepos repos = LocalRepos.create(root);
        Worktrees worktrees = new Worktrees(repos.cloneDir(), repos.worktreeBase());
        worktree = worktrees.create("d1", "truffles/fix-0000dead", worktrees.fetchDefaultBranch());
        Files.writeString(worktree.path().resolve("src/cart.js"), "export const fixed = true;\n");
        checkout = new Checkout(worktree);
        checkout.commit("fix", new PersonIdent("Truffles", "t@example.test"), checkout.changedFiles());
    }

    @AfterEach
    void close() throws Exception {
        checkout.close();
        silent.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    private void push() {
        BranchPusher.push(checkout, "http://127.0.0.1:" + silent.getLocalPort() + "/acme/shop.git", worktree.branch(),
                Optional.of("ghp_never"));
    }

    @Test
    void aPushThatNeverAnswersEndsAtTheDeadlineNamingTheStep() {
        StepDeadline steps = new StepDeadline(Duration.ofSeconds(2), () -> false, Clock.systemUTC());
        long started = System.nanoTime();

        assertThatThrownBy(() -> steps.run("git push", () -> {
            push();
            return null;
        })).isInstanceOf(StepDeadline.Overrun.class).hasMessage("git push took longer than 2 s and was abandoned")
                .matches(e -> !((StepDeadline.Overrun) e).stopped());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aStopRequestEndsAHangingStep() {
        AtomicBoolean stop = new AtomicBoolean();
        StepDeadline steps = new StepDeadline(Duration.ofMinutes(10), stop::get, Clock.systemUTC());
        Thread requester = new Thread(() -> {
            org.awaitility.Awaitility.await().until(() -> !accepted.isEmpty());
            stop.set(true);
        });
        requester.start();

        assertThatThrownBy(() -> steps.run("git push", () -> {
            push();
            return null;
        })).isInstanceOf(StepDeadline.Overrun.class).hasMessage("stopped on request during git push")
                .matches(e -> ((StepDeadline.Overrun) e).stopped());
    }

    @Test
    void aStepsOwnFailurePassesThroughUnchanged() {
        StepDeadline steps = new StepDeadline(Duration.ofSeconds(5), () -> false, Clock.systemUTC());

        assertThatThrownBy(() -> steps.run("git status", () -> {
            throw new IllegalStateException("broken index");
        })).isInstanceOf(IllegalStateException.class).hasMessage("broken index");
    }
}
