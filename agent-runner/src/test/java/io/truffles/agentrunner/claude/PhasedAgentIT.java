package io.truffles.agentrunner.claude;

import static io.truffles.agentrunner.claude.FakeAnthropicApi.Block.text;
import static io.truffles.agentrunner.claude.FakeAnthropicApi.Block.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.agentrunner.sandbox.AgentUser;
import io.truffles.agentrunner.sandbox.ResourceLimits;
import io.truffles.agentrunner.sandbox.SandboxCommand;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.agentrunner.worktree.Worktree;
import io.truffles.agentrunner.worktree.Worktrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Claude Code CLI, inside the real sandbox, driven by a fake model through real tool calls. */
class PhasedAgentIT {
    static final Path CLI = Path.of("claude-code/node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    static final ObjectMapper JSON = new ObjectMapper();

    Path root;
    Worktrees worktrees;
    Worktree worktree;
    Path evidence;
    FakeAnthropicApi model;
    PhasedAgent agent;
    final List<String[]> lines = new CopyOnWriteArrayList<>();
    final List<AgentPhase> phases = new CopyOnWriteArrayList<>();

    final PhasedAgent.Listener listener = new PhasedAgent.Listener() {
        @Override
        public void phaseStarted(AgentPhase phase) {
            phases.add(phase);
        }

        @Override
        public void line(AgentPhase phase, String line) {
            lines.add(new String[] {phase.name(), line});
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        assertThat(CLI).as("the module build installs the Claude Code CLI (npm ci in claude-code/)").exists();
        root = Files.createTempDirectory("agent-it", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        LocalRepos repos = LocalRepos.create(root);
        worktrees = new Worktrees(repos.cloneDir(), repos.worktreeBase());
        worktree = worktrees.create("agent1", "truffles/fix-00000001", "main");
        evidence = Files.createDirectories(worktree.path().resolve(".truffles-evidence"));
        Files.writeString(evidence.resolve("issue.md"), "Cart total ignores quantity\n");
        model = new FakeAnthropicApi();
        Optional<AgentUser> user = TestAgentUser.ensure();
        SandboxCommand sandbox = new SandboxCommand(SandboxCommand.findBwrap(), user, ResourceLimits.defaults());
        agent = new PhasedAgent(sandbox, user, new ClaudeOptions(CLI, "claude-sonnet-4-5", 10, 2.0, model.baseUrl()),
                root.resolve("runs"));
    }

    @AfterEach
    void tearDown() {
        model.close();
        worktrees.remove("agent1", "truffles/fix-00000001");
    }

    private AgentOutcome run(String key, Duration timeout, AtomicBoolean stop) throws Exception {
        return agent.run(worktree, key, evidence, "Cart total ignores quantity", timeout, stop::get, listener);
    }

    @Test
    void theFakeModelsEditsLandInTheCheckoutThroughAllFourPhasesWithEveryLineStreamedInOrder() throws Exception {
        String cart = worktree.path().resolve("src/cart.js").toString();
        model.script("verifying", List.of(tool("Read", Map.of("file_path", cart))))
                .outcome("verifying", Map.of("reproducible", true, "reason", "price is summed without quantity"))
                .outcome("planning", Map.of("plan", "multiply price by quantity"))
                .script("coding", List.of(tool("Read", Map.of("file_path", cart))))
                .script("coding", List.of(tool("Edit", Map.of("file_path", cart, "old_string", "s + i.price",
                        "new_string", "s + i.price * i.quantity"))))
                .script("coding", List.of(text("Checking the change."),
                        tool("Bash", Map.of("command", "git status --porcelain", "description", "status"))))
                .outcome("coding", Map.of("summary", "Count quantity in the cart total"))
                .script("reviewing", List.of(tool("Bash", Map.of("command", "git diff", "description", "diff"))))
                .outcome("reviewing", Map.of("approved", true, "summary", "The cart total now counts quantity"));

        AgentOutcome outcome = run("sk-ant-fake", Duration.ofMinutes(3), new AtomicBoolean());

        assertThat(outcome).isInstanceOf(AgentOutcome.Fixed.class);
        assertThat(((AgentOutcome.Fixed) outcome).summary()).isEqualTo("The cart total now counts quantity");
        assertThat(worktree.path().resolve("src/cart.js")).content().contains("s + i.price * i.quantity");
        assertThat(phases).containsExactly(AgentPhase.values());
        List<JsonNode> parsed = lines.stream().map(l -> read(l[1])).toList();
        assertThat(lines.stream().map(l -> l[0]).distinct()).containsExactly("VERIFYING", "PLANNING", "CODING",
                "REVIEWING");
        assertThat(parsed.get(0).path("type").asText()).isEqualTo("system");
        assertThat(parsed.stream().filter(n -> n.path("type").asText().equals("result"))).hasSize(4);
        double summed = parsed.stream().filter(n -> n.path("type").asText().equals("result"))
                .mapToDouble(n -> n.path("total_cost_usd").asDouble()).sum();
        assertThat(outcome.costUsd()).isEqualTo(summed).isGreaterThan(0);
        // the Bash tool really ran git inside the sandbox and saw the edit
        assertThat(lines.stream().map(l -> l[1])).anyMatch(l -> l.contains("M src/cart.js"));
        assertThat(lines.stream().map(l -> l[1])).anyMatch(l -> l.contains("+  return items.reduce((s, i) => s + i.price * i.quantity"));
    }

    @Test
    void escapesTheModelAsksForThroughTheClisToolsAllFailAndTheRealKeyNeverEntersTheSandbox() throws Exception {
        Path platform = Files.createDirectories(root.resolve("platform"));
        Files.writeString(platform.resolve(".env"), "GITHUB_TOKEN=ghp_PLATFORMSECRET\n");
        Path pwned = root.resolve("pwned");
        Path hook = worktree.commonDir().resolve("hooks/post-checkout");
        try (java.net.ServerSocket other = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger otherConnections = new java.util.concurrent.atomic.AtomicInteger();
            Thread otherServer = new Thread(() -> {
                try (java.net.Socket s = other.accept()) {
                    otherConnections.incrementAndGet();
                } catch (Exception closed) {
                    // no connection: what the test wants
                }
            });
            otherServer.start();
            model.script("verifying", List.of(tool("Bash", Map.of("description", "secrets", "command",
                            "cat " + platform.resolve(".env") + "; cat /proc/1/environ | tr '\\0' '\\n'; env"))))
                    .script("verifying", List.of(tool("Bash", Map.of("description", "persist", "command",
                            "printf '#!/bin/sh\\ntouch " + pwned + "\\n' > " + hook + "; chmod +x " + hook
                                    + "; git config core.hooksPath /tmp; git config core.fsmonitor 'touch " + pwned
                                    + "'; echo x > " + root.resolve("outside.txt") + "; ln -s " + root
                                    + " escape; echo x > escape/through-link.txt; echo PERSIST\"\"-DONE"))))
                    .script("verifying", List.of(tool("Bash", Map.of("description", "network", "command",
                            "node -e \"require('net').connect(" + other.getLocalPort() + ",'127.0.0.1')"
                                    + ".on('connect',()=>console.log('LINK'+'-UP')).on('error',e=>console.log('NETERR '+e.code))\""))))
                    .script("verifying", List.of(tool("Write", Map.of("file_path",
                            worktree.commonDir().resolve("hooks/pre-commit").toString(), "content",
                            "#!/bin/sh\ntouch " + pwned + "\n"))))
                    .script("verifying", List.of(tool("Bash", Map.of("description", "settings", "command",
                            "tr -d ' \\n' < /run/truffles/" + ClaudeSettings.FILE + "; echo; echo '{}' > /run/truffles/"
                                    + ClaudeSettings.FILE + " || echo SETTINGS-READ\"\"-ONLY"))))
                    .outcome("verifying", Map.of("reproducible", false, "reason", "nothing to fix"));

            AgentOutcome outcome = run("sk-ant-REAL-KEY-0001", Duration.ofMinutes(3), new AtomicBoolean());

            String printed = String.join("\n", lines.stream().map(l -> l[1]).toList());
            assertThat(outcome).as(printed).isInstanceOf(AgentOutcome.FalseAlarm.class);
            // markers are spelled apart in the commands, so only the commands' output holds them whole
            assertThat(printed).contains("PERSIST-DONE").contains("NETERR ECONNREFUSED").doesNotContain("LINK-UP")
                    .doesNotContain("PLATFORMSECRET").doesNotContain("REAL-KEY")
                    // the environment held the bridge's placeholder, which the recorded lines show only as a marker
                    .contains("ANTHROPIC_API_KEY=[redacted: the agent's placeholder key]")
                    .doesNotContain("sk-ant-truffles-masked-")
                    .contains("Read-only file system");
            // the model API saw the real key on every request: the bridge put it there on the way out
            assertThat(model.apiKeys()).isNotEmpty().allMatch("sk-ant-REAL-KEY-0001"::equals);
            assertThat(root.resolve("outside.txt")).doesNotExist();
            assertThat(root.resolve("through-link.txt")).doesNotExist();
            assertThat(hook).doesNotExist();
            assertThat(worktree.commonDir().resolve("hooks/pre-commit")).doesNotExist();
            // Claude Code's own settings (its sandbox, no unsandboxed commands, no hooks) cannot be rewritten
            assertThat(printed).contains("SETTINGS-READ-ONLY")
                    .contains("\\\"sandbox\\\":{\\\"enabled\\\":true").contains("\\\"allowUnsandboxedCommands\\\":false");
            // nothing runs on the host afterwards: its own git, hooks and fsmonitor enabled, in that checkout
            new ProcessBuilder("git", "status").directory(worktree.path().toFile()).start().waitFor();
            new ProcessBuilder("git", "-C", worktree.path().toString(), "checkout", "-q", "-b", "host-check").start()
                    .waitFor();
            assertThat(pwned).doesNotExist();
            other.close();
            otherServer.join(5_000);
            assertThat(otherConnections).hasValue(0);
        }
    }

    @Test
    void aModelThatCannotReproduceIsAFalseAlarmWithItsReason() throws Exception {
        model.outcome("verifying", Map.of("reproducible", false, "reason", "the total already counts quantity"));

        AgentOutcome outcome = run("sk-ant-fake", Duration.ofMinutes(2), new AtomicBoolean());

        assertThat(outcome).isEqualTo(new AgentOutcome.FalseAlarm("the total already counts quantity", outcome.costUsd()));
        assertThat(phases).containsExactly(AgentPhase.VERIFYING);
    }

    @Test
    void thePerRunCapStopsTheRunAsAFailureNotRetriedAndEveryPhasesCostIsReported() throws Exception {
        model.outcome("verifying", Map.of("reproducible", true, "reason", "price is summed without quantity"))
                .outcome("planning", Map.of("plan", "multiply price by quantity"));
        List<Double> reported = new CopyOnWriteArrayList<>();
        PhasedAgent.Listener counting = new PhasedAgent.Listener() {
            @Override
            public void phaseStarted(AgentPhase phase) {
                listener.phaseStarted(phase);
            }

            @Override
            public void line(AgentPhase phase, String line) {
                listener.line(phase, line);
            }

            @Override
            public void spent(String model, double runCostUsd) {
                assertThat(model).isEqualTo("claude-sonnet-4-5");
                reported.add(runCostUsd);
            }
        };

        AgentOutcome outcome = agent.run(worktree, "sk-ant-fake", evidence, "Cart total ignores quantity",
                Duration.ofMinutes(2), OptionalDouble.of(0.0001), () -> false, counting);

        assertThat(outcome).isInstanceOf(AgentOutcome.Failed.class);
        AgentOutcome.Failed failed = (AgentOutcome.Failed) outcome;
        assertThat(failed.error()).contains("verifying", "per-run cap of $0.0001 (agentRunBudgetUsd)");
        assertThat(failed.retryable()).as("another attempt would spend the cap again").isFalse();
        assertThat(phases).as("no phase after the one that reached the cap").containsExactly(AgentPhase.VERIFYING);
        assertThat(failed.costUsd()).isGreaterThanOrEqualTo(0.0001);
        assertThat(reported).containsExactly(failed.costUsd());
    }

    @Test
    void withoutAKeyTheClisNotLoggedInResultIsAFailureDespiteItsSuccessSubtype() throws Exception {
        AgentOutcome outcome = run(null, Duration.ofMinutes(2), new AtomicBoolean());

        assertThat(outcome).isInstanceOf(AgentOutcome.Failed.class);
        assertThat(((AgentOutcome.Failed) outcome).error()).contains("Not logged in").contains("success (is_error)")
                .contains("set ANTHROPIC_API_KEY");
        assertThat(((AgentOutcome.Failed) outcome).retryable()).as("a configuration error").isFalse();
        assertThat(model.requests()).isEmpty();
    }

    @Test
    void aStopRequestKillsTheWholeProcessTreeWithinSeconds() throws Exception {
        model.hang();
        AtomicBoolean stop = new AtomicBoolean();
        Thread stopper = new Thread(() -> {
            await().atMost(Duration.ofSeconds(60)).until(() -> !model.requests().isEmpty());
            stop.set(true);
        });
        stopper.start();

        AgentOutcome outcome = run("sk-ant-fake", Duration.ofMinutes(3), stop);
        Instant stopped = Instant.now();

        assertThat(outcome).isInstanceOf(AgentOutcome.Failed.class);
        assertThat(((AgentOutcome.Failed) outcome).ending()).isEqualTo(ClaudeRun.Ending.STOPPED);
        await().atMost(Duration.ofSeconds(5)).until(this::noAgentProcessLeft);
        assertThat(Duration.between(stopped, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aTimeoutKillsTheWholeProcessTree() throws Exception {
        model.hang();

        AgentOutcome outcome = run("sk-ant-fake", Duration.ofSeconds(15), new AtomicBoolean());

        assertThat(outcome).isInstanceOf(AgentOutcome.Failed.class);
        assertThat(((AgentOutcome.Failed) outcome).ending()).isEqualTo(ClaudeRun.Ending.TIMED_OUT);
        assertThat(((AgentOutcome.Failed) outcome).error()).contains("timed out");
        await().atMost(Duration.ofSeconds(5)).until(this::noAgentProcessLeft);
    }

    /** No process naming this test's folders in its command line or environment (every sandboxed one does). */
    private boolean noAgentProcessLeft() {
        return TestAgentUser.processesUnder(root).isEmpty();
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
