package io.truffles.agentrunner.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.agentrunner.worktree.Worktree;
import io.truffles.agentrunner.worktree.Worktrees;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs real commands inside the real bubblewrap sandbox the runner builds, each trying one way out, and shows from the
 * host that every attempt failed.
 */
class SandboxEscapeIT {
    Path root;
    LocalRepos repos;
    Worktrees worktrees;
    Worktree worktree;
    Worktree other;
    Path platform;
    SandboxCommand sandbox;
    Optional<AgentUser> user;

    @BeforeEach
    void checkout() throws Exception {
        // the agent user must be able to reach the checkout, as it can under WORKTREE_BASE_PATH in production
        root = Files.createTempDirectory("sandbox-it", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        repos = LocalRepos.create(root);
        worktrees = new Worktrees(repos.cloneDir(), repos.worktreeBase());
        worktree = worktrees.create("agent1", "truffles/fix-00000001", "main");
        other = worktrees.create("agent2", "truffles/fix-00000002", "main");
        Files.writeString(other.path().resolve("other-secret.txt"), "OTHER-WORKTREE-SECRET");
        platform = Files.createDirectories(root.resolve("platform"));
        Files.writeString(platform.resolve(".env"), "GITHUB_TOKEN=ghp_PLATFORMSECRET\n");
        user = TestAgentUser.ensure();
        user.ifPresent(u -> CheckoutOwnership.handTo(worktree.path(), u));
        sandbox = new SandboxCommand(SandboxCommand.findBwrap(), user,
                ResourceLimits.defaults().withMaxProcesses(64).withMaxFileSizeBytes(1 << 20));
        assertThat(sandbox.sandboxAvailable()).as("bubblewrap must be installed for this test").isTrue();
    }

    @AfterEach
    void cleanUp() {
        worktrees.remove("agent1", "truffles/fix-00000001");
        worktrees.remove("agent2", "truffles/fix-00000002");
    }

    private SandboxRun run(String script) throws Exception {
        return run(script, Optional.empty());
    }

    private SandboxRun run(String script, Optional<ModelBridge> bridge) throws Exception {
        return run(script, bridge, Map.of("ANTHROPIC_API_KEY", "sk-model-key"));
    }

    private SandboxRun run(String script, Optional<ModelBridge> bridge, Map<String, String> env) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        bridge.ifPresent(b -> command.addAll(b.innerCommand()));
        command.addAll(List.of("/bin/bash", "-c", script));
        SandboxLaunch launch = sandbox.build(worktree, List.of(), List.of(), bridge.map(ModelBridge::runDir), Optional.empty(),
                env, command);
        assertThat(launch.sandboxed()).isTrue();
        return SandboxRun.of(launch, Duration.ofSeconds(60));
    }

    @Test
    void theAgentChangesItsCheckoutAndGitStatusAndDiffWorkInsideButCommitsDoNot() throws Exception {
        SandboxRun run = run("echo fixed >> src/cart.js && git status --porcelain && git diff --stat"
                + " && (git -c user.name=a -c user.email=a@b commit -qam sneaky && echo COMMITTED || echo COMMIT-FAILED)");

        assertThat(run.output()).contains("M src/cart.js").contains("1 insertion").contains("COMMIT-FAILED")
                .doesNotContain("COMMITTED\n");
        assertThat(worktree.path().resolve("src/cart.js")).content().endsWith("fixed\n");
        assertThat(LocalRepos.git(repos.cloneDir(), "log", "--format=%s", "truffles/fix-00000001")).isEqualTo("first");
    }

    @Test
    void platformSecretsOtherWorktreesAndTheRunnersEnvironmentAreNotVisible() throws Exception {
        SandboxRun run = run("cat " + platform.resolve(".env") + "; cat " + other.path().resolve("other-secret.txt")
                + "; cat /proc/*/environ | tr '\\0' '\\n'; env; ls " + repos.cloneDir() + "; ls /root");

        assertThat(run.output()).doesNotContain("PLATFORMSECRET").doesNotContain("OTHER-WORKTREE-SECRET")
                .doesNotContain("JAVA_HOME").doesNotContain("MAVEN").doesNotContain("README.md")
                .contains("ANTHROPIC_API_KEY=sk-model-key").contains("HOME=" + SandboxCommand.HOME);
    }

    @Test
    void nothingIsWrittenOutsideTheCheckoutNotEvenThroughASymlinkMadeInside() throws Exception {
        Path outside = root.resolve("outside.txt");
        Path throughLink = root.resolve("through-link.txt");

        SandboxRun run = run("echo x > " + outside + "; ln -s " + root + " escape && echo x > escape/through-link.txt;"
                + " echo x > /usr/pwned; echo x > /etc/pwned; echo ok > /tmp/private && cat /tmp/private");

        assertThat(outside).doesNotExist();
        assertThat(throughLink).doesNotExist();
        assertThat(Path.of("/usr/pwned")).doesNotExist();
        assertThat(Path.of("/etc/pwned")).doesNotExist();
        assertThat(run.output()).contains("ok");
    }

    @Test
    void gitMetadataIsReadOnlySoNoHookOrFsmonitorCanRunOnTheHostLater() throws Exception {
        Path pwned = root.resolve("pwned");
        String payload = "#!/bin/sh\\ntouch " + pwned + "\\n";
        SandboxRun run = run("printf '" + payload + "' > " + worktree.commonDir().resolve("hooks/post-checkout")
                + "; printf '" + payload + "' > " + worktree.commonDir().resolve("hooks/pre-commit")
                + "; git config core.fsmonitor 'touch " + pwned + "'; git config core.hooksPath /tmp"
                + "; git config --worktree core.fsmonitor x; echo 'gitdir: /tmp/evil' > .git"
                + "; printf '[core]\\n\\tfsmonitor = touch " + pwned + "\\n' > " + worktree.gitDir().resolve("config.worktree")
                + "; git config --get core.fsmonitor || echo NO-FSMONITOR");

        assertThat(run.output()).contains("NO-FSMONITOR");
        assertThat(worktree.commonDir().resolve("hooks/post-checkout")).doesNotExist();
        assertThat(worktree.commonDir().resolve("hooks/pre-commit")).doesNotExist();
        assertThat(worktree.path().resolve(".git")).content().startsWith("gitdir: " + worktree.commonDir());
        // the host's plain git (no protective flags) runs status, checkout and commit machinery in that checkout
        new ProcessBuilder("git", "status").directory(worktree.path().toFile()).start().waitFor();
        new ProcessBuilder("git", "-C", worktree.path().toString(), "checkout", "-q", "-b", "host-check").start().waitFor();
        assertThat(pwned).doesNotExist();
    }

    @Test
    void onlyTheModelApiIsReachableThroughTheBridgeWhichPutsTheRealKeyOnTheWayOut() throws Exception {
        try (ServerSocket model = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                ServerSocket other = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<String> modelReceived = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicInteger otherConnections = new AtomicInteger();
            Thread modelServer = new Thread(() -> {
                while (true) {
                    try (Socket s = model.accept(); InputStream in = s.getInputStream()) {
                        StringBuilder head = new StringBuilder();
                        while (!head.toString().endsWith("\r\n\r\n")) {
                            int b = in.read();
                            if (b < 0) {
                                break;
                            }
                            head.append((char) b);
                        }
                        modelReceived.add(head + new String(in.readNBytes(2), StandardCharsets.UTF_8));
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: keep-alive\r\n\r\nmodel-ok"
                                .getBytes(StandardCharsets.ISO_8859_1));
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            modelServer.start();
            Thread otherServer = new Thread(() -> {
                try (Socket s = other.accept()) {
                    otherConnections.incrementAndGet();
                } catch (Exception ignored) {
                    // closed without a connection: what the test wants
                }
            });
            otherServer.start();
            Path runDir = root.resolve("run-agent1");
            URI api = URI.create("http://127.0.0.1:" + model.getLocalPort());
            // the socket is the agent user's alone (0600): the sandbox runs as that user
            ModelBridge.Options owned = new ModelBridge.Options(Double.POSITIVE_INFINITY,
                    user.map(u -> java.util.OptionalInt.of(u.uid())).orElse(java.util.OptionalInt.empty()));
            try (ModelBridge bridge = ModelBridge.open(runDir, api, "sk-ant-REAL-KEY", owned)) {
                int port = ModelBridge.INNER_PORT;
                SandboxRun run = run("exec 3<>/dev/tcp/127.0.0.1/" + port + "; printf 'POST /v1/messages HTTP/1.1\\r\\n"
                        + "Host: evil.example\\r\\nx-api-key: '\"$ANTHROPIC_API_KEY\"'\\r\\nContent-Length: 2\\r\\n\\r\\n{}' >&3;"
                        + " cat <&3; echo;"
                        + " exec 4<>/dev/tcp/127.0.0.1/" + port + "; printf 'GET /admin HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' >&4;"
                        + " cat <&4; echo;"
                        + " (echo x > /dev/tcp/127.0.0.1/" + model.getLocalPort() + ") 2>/dev/null || echo MODEL-DIRECT-REFUSED;"
                        + " (echo x > /dev/tcp/127.0.0.1/" + other.getLocalPort() + ") 2>/dev/null || echo OTHER-REFUSED;"
                        + " (echo x > /dev/tcp/10.0.0.1/80) 2>/dev/null || echo OUTSIDE-REFUSED; env",
                        Optional.of(bridge), Map.of("ANTHROPIC_API_KEY", bridge.placeholderKey()));

                assertThat(run.output()).contains("HTTP/1.1 200 OK").contains("Connection: close").contains("model-ok")
                        .contains("HTTP/1.1 403 Forbidden").contains("MODEL-DIRECT-REFUSED").contains("OTHER-REFUSED")
                        .contains("OUTSIDE-REFUSED").contains("ANTHROPIC_API_KEY=" + bridge.placeholderKey())
                        .doesNotContain("REAL-KEY");
                // one request reached the model API: the one for its path, with the real key and the API's own host
                assertThat(modelReceived).hasSize(1);
                assertThat(modelReceived.get(0)).startsWith("POST /v1/messages HTTP/1.1\r\n")
                        .contains("x-api-key: sk-ant-REAL-KEY\r\n").contains("Host: 127.0.0.1:" + model.getLocalPort())
                        .contains("Connection: close").doesNotContain("evil.example")
                        .doesNotContain(bridge.placeholderKey()).endsWith("{}");
            }
            other.close();
            model.close();
            otherServer.join(5_000);
            assertThat(otherConnections).hasValue(0);
        }
    }

    @Test
    void forkingWithoutBoundAndHugeFilesAreCapped() throws Exception {
        SandboxRun forks = run("exec /bin/sh -c 'i=0; while [ $i -lt 500 ]; do i=$((i+1)); sleep 30 & done; echo ALL-FORKED'");
        SandboxRun bigFile = run("head -c 4194304 /dev/zero > big.bin; echo size=$(stat -c %s big.bin)");

        assertThat(forks.output()).contains("Cannot fork").doesNotContain("ALL-FORKED");
        assertThat(bigFile.output()).contains("size=1048576");
        assertThat(TestAgentUser.processesUnder(root)).as("no agent process outlives its sandbox").isEmpty();
    }

    @Test
    void oneAgentsForkStormDoesNotStopASecondAgentFromStarting() throws Exception {
        assertThat(user).as("per-agent uids need the runner to be root, as the tests run").isPresent();
        AgentUsers users = new AgentUsers(user, AgentUsers.DEFAULT_FIRST_UID, 4);
        try (AgentUsers.Lease first = users.acquire(); AgentUsers.Lease second = users.acquire()) {
            CheckoutOwnership.handTo(worktree.path(), first.user().orElseThrow());
            CheckoutOwnership.handTo(other.path(), second.user().orElseThrow());
            // the first agent forks until its process cap (64) stops it, and holds every process it got
            SandboxLaunch storm = sandbox.as(first.user().orElseThrow()).build(worktree, List.of(), List.of(),
                    Optional.empty(), Optional.empty(), Map.of(), List.of("/bin/bash", "-c",
                            "for i in $(seq 200); do sleep 120 & done 2>/dev/null; echo STORM-HELD; wait"));
            Process stormProcess = storm.processBuilder().redirectErrorStream(true).start();
            ProcessTree stormTree = new ProcessTree(stormProcess);
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> stormTree.living().size() >= 60);

                SandboxRun started = SandboxRun.of(sandbox.as(second.user().orElseThrow()).build(other, List.of(),
                        List.of(), Optional.empty(), Optional.empty(), Map.of(), List.of("/bin/bash", "-c",
                                "sleep 0.1 & sleep 0.1 & wait; echo SECOND-STARTED uid=$(id -u)")),
                        Duration.ofSeconds(30));

                assertThat(started.output()).contains("SECOND-STARTED").doesNotContain("Resource temporarily");
                assertThat(stormTree.living().size()).as("the storm is still held at its cap").isGreaterThan(60);
            } finally {
                stormTree.kill(Duration.ZERO);
            }
        }
    }

    @Test
    void withoutBubblewrapTheAgentRunsUnsandboxedInItsCheckoutWithOnlyItsEnvironment() throws Exception {
        SandboxCommand fallback = new SandboxCommand(Optional.empty(), user, ResourceLimits.defaults());
        Path home = root.resolve("agent1-home");
        Files.createDirectories(home);
        user.ifPresent(u -> CheckoutOwnership.handTo(home, u));
        SandboxLaunch launch = fallback.build(worktree, List.of(), List.of(), Optional.empty(), Optional.of(home),
                Map.of("ANTHROPIC_API_KEY", "sk-model-key"), List.of("/bin/sh", "-c", "pwd; env; id -u"));

        SandboxRun run = SandboxRun.of(launch, Duration.ofSeconds(30));

        assertThat(launch.sandboxed()).isFalse();
        assertThat(run.output()).startsWith(worktree.path() + "\n").contains("ANTHROPIC_API_KEY=sk-model-key")
                .doesNotContain("JAVA_HOME").doesNotContain("MAVEN");
        user.ifPresent(u -> assertThat(run.output()).contains("\n" + u.uid() + "\n"));
    }
}
