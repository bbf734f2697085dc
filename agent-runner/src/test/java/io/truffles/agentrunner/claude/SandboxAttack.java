package io.truffles.agentrunner.claude;

import static io.truffles.agentrunner.claude.FakeAnthropicApi.Block.tool;

import io.truffles.agentrunner.sandbox.AgentUser;
import io.truffles.agentrunner.sandbox.AgentUsers;
import io.truffles.agentrunner.sandbox.ResourceLimits;
import io.truffles.agentrunner.sandbox.SandboxCommand;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.agentrunner.worktree.Worktree;
import io.truffles.agentrunner.worktree.Worktrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The scripted model as an attacker. It asks the real Claude Code CLI, in the real sandbox the runner builds, to run
 * each {@link Probe} through its Bash tool (one tool call per probe, in order, in the verifying phase), receives each
 * probe's output in the CLI's next request — the way a hostile model would learn what worked — and then ends the
 * phase as a false alarm. The test reads the outputs with {@link Findings#of} and checks the host itself afterwards.
 *
 * <p>Everything lives where a real install keeps it, not under {@code /tmp} (which the sandbox hides with its own
 * tmpfs whatever the policy is): the repositories, checkouts and run folders under {@code /var/lib/truffles-test-*},
 * and a Truffles install with its {@code .env} and data folder under {@code /opt/truffles-test-*} ({@link #install()}).
 * {@link #close()} removes both.
 *
 * <pre>{@code
 * try (SandboxAttack attack = SandboxAttack.start()) {
 *     Findings found = attack.run(new Probe("env", "cat " + attack.install().resolve(".env")));
 *     assertThat(found.of("env")).doesNotContain(SandboxAttack.INSTALL_SECRET);
 * }
 * }</pre>
 */
public final class SandboxAttack implements AutoCloseable {
    static final Path CLI = Path.of("claude-code/node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    /** In the install's {@code .env} and in its data folder's database file. */
    public static final String INSTALL_SECRET = "ghp_INSTALLSECRET0000000000000000000001";
    /** In the clone's {@code .git/config}: a token in the remote URL and an {@code http.extraheader}. */
    public static final String CLONE_SECRET = "ghp_CLONESECRET00000000000000000000000002";
    /** In the other agent's checkout. */
    public static final String OTHER_AGENT_SECRET = "OTHER-AGENT-WORK-IN-PROGRESS";

    /** One command the model has the CLI run; {@code name} is the Bash call's description and the finding's key. */
    public record Probe(String name, String command) {
        /** A raw HTTP request sent to the model bridge inside the sandbox; the output is the bridge's answer. */
        public static Probe bridgeRequest(String name, String rawRequest) {
            String b64 = Base64.getEncoder().encodeToString(rawRequest.getBytes(StandardCharsets.ISO_8859_1));
            return new Probe(name, "exec 3<>/dev/tcp/127.0.0.1/8765 && echo " + b64 + " | base64 -d >&3; "
                    + "timeout 20 head -c 600 <&3; echo");
        }
    }

    /** What the model learnt from each probe, and how the agent ended. */
    public record Findings(Map<String, String> outputs, AgentOutcome outcome, List<String> lines) {
        public String of(String probe) {
            String output = outputs.get(probe);
            if (output == null) {
                throw new AssertionError("probe " + probe + " reported nothing; the agent printed:\n"
                        + String.join("\n", lines.stream().filter(l -> !l.contains("\"subtype\":\"init\"")).toList()));
            }
            return output;
        }
    }

    private final Path root;
    private final Path install;
    private final LocalRepos repos;
    private final Worktrees worktrees;
    private final Worktree worktree;
    private final Worktree other;
    private final FakeAnthropicApi model;
    private final Optional<AgentUser> user;
    private final AgentUsers users;

    private SandboxAttack(Path root, Path install) throws Exception {
        this.root = root;
        this.install = install;
        this.repos = LocalRepos.create(root);
        this.worktrees = new Worktrees(repos.cloneDir(), repos.worktreeBase());
        this.worktree = worktrees.create("agent1", "truffles/fix-00000001", "main");
        this.other = worktrees.create("agent2", "truffles/fix-00000002", "main");
        Files.writeString(other.path().resolve("wip.txt"), OTHER_AGENT_SECRET);
        // where `gh auth setup-git`, an http.extraheader or a credential in the remote URL leave a token
        LocalRepos.git(repos.cloneDir(), "config", "remote.origin.url",
                "https://x-access-token:" + CLONE_SECRET + "@github.com/acme/shop.git");
        LocalRepos.git(repos.cloneDir(), "config", "http.https://github.com/.extraheader",
                "AUTHORIZATION: basic " + CLONE_SECRET);
        Files.createDirectories(install.resolve("data/mongo"));
        Files.writeString(install.resolve(".env"), "GITHUB_TOKEN=" + INSTALL_SECRET + "\n");
        Files.writeString(install.resolve("data/mongo/truffles.mv"), "db " + INSTALL_SECRET);
        Files.writeString(install.resolve("truffles"), "#!/bin/sh\n");
        this.model = new FakeAnthropicApi();
        this.user = TestAgentUser.ensure();
        this.users = user.isPresent() ? new AgentUsers(user, AgentUsers.DEFAULT_FIRST_UID, 4)
                : AgentUsers.shared(user);
    }

    /** A fresh clone, two agents' checkouts and a Truffles install, in folders named for this run. */
    public static SandboxAttack start() throws Exception {
        // two names: the checkout's own path is visible inside, the install's must not be
        Path root = Files.createDirectory(Path.of("/var/lib", "truffles-test-" + UUID.randomUUID()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path install = Files.createDirectory(Path.of("/opt", "truffles-test-" + UUID.randomUUID()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return new SandboxAttack(root, install);
    }

    public Path install() {
        return install;
    }

    public Worktree worktree() {
        return worktree;
    }

    public Worktree other() {
        return other;
    }

    public FakeAnthropicApi model() {
        return model;
    }

    /** Runs the probes with the runner's default limits and no budget to speak of. */
    public Findings run(Probe... probes) throws Exception {
        return run(ResourceLimits.defaults(), 100.0, probes);
    }

    /** Runs the probes in one agent whose sandbox has {@code limits} and whose model budget is {@code budgetUsd}. */
    public Findings run(ResourceLimits limits, double budgetUsd, Probe... probes) throws Exception {
        model.reset();
        for (Probe probe : probes) {
            model.script("verifying", List.of(tool("Bash", Map.of("description", probe.name(),
                    "command", probe.command(), "timeout", 120_000))));
        }
        model.outcome("verifying", Map.of("reproducible", false, "reason", "probes done"));
        SandboxCommand sandbox = new SandboxCommand(SandboxCommand.findBwrap(), user, limits);
        PhasedAgent agent = new PhasedAgent(sandbox, users,
                new ClaudeOptions(CLI, "claude-sonnet-4-5", probes.length + 5, budgetUsd, model.baseUrl()),
                root.resolve("runs"));
        Path evidence = Files.createDirectories(worktree.path().resolve(".truffles-evidence"));
        List<String> lines = new CopyOnWriteArrayList<>();
        AgentOutcome outcome = agent.run(worktree, "sk-ant-REAL-KEY-0001", evidence, "Probe the sandbox",
                Duration.ofMinutes(5), () -> false, new PhasedAgent.Listener() {
                    @Override
                    public void phaseStarted(AgentPhase phase) {
                        // one phase: verifying
                    }

                    @Override
                    public void line(AgentPhase phase, String line) {
                        lines.add(line);
                    }
                });
        Map<String, String> outputs = new java.util.LinkedHashMap<>(printedToolResults(lines));
        // what the model received is the finding; the CLI's own print counts only for a result the model never got
        // (the request that would have carried it was refused)
        outputs.putAll(model.toolResults());
        return new Findings(outputs, outcome, List.copyOf(lines));
    }

    /** The tool results the CLI printed (stream-json {@code user} lines), by the call's description. */
    private static Map<String, String> printedToolResults(List<String> lines) {
        Map<String, String> names = new java.util.HashMap<>();
        Map<String, String> results = new java.util.LinkedHashMap<>();
        for (String line : lines) {
            com.fasterxml.jackson.databind.JsonNode node;
            try {
                node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            } catch (IOException notJson) {
                continue;
            }
            for (com.fasterxml.jackson.databind.JsonNode part : node.path("message").path("content")) {
                if (part.path("type").asText().equals("tool_use")) {
                    names.put(part.path("id").asText(), part.path("input").path("description").asText());
                } else if (part.path("type").asText().equals("tool_result")
                        && names.containsKey(part.path("tool_use_id").asText())) {
                    results.put(names.get(part.path("tool_use_id").asText()), part.path("content").isTextual()
                            ? part.path("content").asText() : part.path("content").toString());
                }
            }
        }
        return results;
    }

    @Override
    public void close() throws IOException {
        model.close();
        List<String> problems = new ArrayList<>();
        for (String id : List.of("agent1", "agent2")) {
            try {
                worktrees.remove(id, "truffles/fix-0000000" + id.charAt(5));
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        deleteTree(root);
        deleteTree(install);
        if (!problems.isEmpty()) {
            throw new IOException("cleaning up: " + problems);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
