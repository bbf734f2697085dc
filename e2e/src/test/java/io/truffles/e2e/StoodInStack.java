package io.truffles.e2e;

import static io.truffles.agentrunner.claude.FakeAnthropicApi.Block.tool;

import io.truffles.agentrunner.claude.FakeAnthropicApi;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The stack as {@code ./truffles up} starts it, with stand-ins for the paid services a whole-flow run needs: PostHog's
 * recordings API, the Anthropic Messages API (every agent reproduces the problem, makes the same small idempotent fix
 * of the product's cart and has it approved), GitHub's pull request API and a bare git origin. No OpenRouter key: the
 * analyzer runs its detectors only. Job leases are short, so work a killed worker held is taken over in seconds.
 */
final class StoodInStack implements AutoCloseable {
    /** How often the poller lists PostHog's recordings: the least core's SettingsLimits allows. */
    static final int POLLING_INTERVAL_SECONDS = 10;

    final Path data;
    final Path work;
    final LocalRepos repos;
    final PostHogStandIn posthog;
    final FakeAnthropicApi model;
    final GitHubStandIn github;
    final TrufflesStack stack;

    private StoodInStack(Path data, Path work, LocalRepos repos, PostHogStandIn posthog, FakeAnthropicApi model,
            GitHubStandIn github, TrufflesStack stack) {
        this.data = data;
        this.work = work;
        this.repos = repos;
        this.posthog = posthog;
        this.model = model;
        this.github = github;
        this.stack = stack;
    }

    /** The stand-ins started and the stack configured (not started), {@code settings} over the defaults here. */
    static StoodInStack on(Path data, Map<String, String> settings) throws Exception {
        TestAgentUser.ensure();
        Path work = Files.createDirectory(Path.of("/var/lib", "truffles-test-" + UUID.randomUUID()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        LocalRepos repos = LocalRepos.create(work);
        PostHogStandIn posthog = new PostHogStandIn();
        GitHubStandIn github = new GitHubStandIn();
        FakeAnthropicApi model = new FakeAnthropicApi();
        model.outcome("verifying", Map.of("reproducible", true, "reason", "the request answers 500"))
                .outcome("planning", Map.of("plan", "multiply by quantity"))
                .opening("coding", List.of(tool("Bash", Map.of("command",
                        "grep -q quantity src/cart.js || sed -i 's/s + i.price/s + i.price * i.quantity/' src/cart.js",
                        "description", "fix"))))
                .outcome("coding", Map.of("summary", "Count quantity"))
                .outcome("reviewing", Map.of("approved", true, "summary", "The total now counts quantity"));
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("POSTHOG_API_KEY", PostHogStandIn.KEY),
                Map.entry("POSTHOG_PROJECT_ID", PostHogStandIn.PROJECT),
                Map.entry("POSTHOG_HOST", posthog.baseUrl()),
                // PostHog's recording-API budget is per organisation
                Map.entry("POLLING_INTERVAL_SECONDS", Integer.toString(POLLING_INTERVAL_SECONDS)),
                // PostHog's free plan allows 12 snapshot calls a minute; the stand-in has no such limit
                Map.entry("TRUFFLES_POLLER_POSTHOG_SNAPSHOT_CALLS_PER_MINUTE", "6000"),
                Map.entry("TRUFFLES_POLLER_POSTHOG_SNAPSHOT_CALLS_PER_HOUR", "100000"),
                Map.entry("TRUFFLES_POLLER_INBOX_SAMPLES", "false"),
                // how soon a killed worker's job is taken over (the defaults, a minute or two, would only slow tests)
                Map.entry("TRUFFLES_POLLER_POSTHOG_LEASE_TTL", "PT15S"),
                Map.entry("TRUFFLES_RENDERER_LEASE_TTL", "PT15S"),
                Map.entry("TRUFFLES_ANALYZER_LEASE_TTL", "PT15S"),
                Map.entry("AGENT_LEASE_TTL", "PT15S"),
                Map.entry("AGENT_RETRY_BACKOFF", "PT2S"),
                Map.entry("ANTHROPIC_API_KEY", "sk-ant-stood-in-fake-key"),
                Map.entry("ANTHROPIC_BASE_URL", model.baseUrl().toString()),
                Map.entry("GITHUB_TOKEN", "ghp_standintoken00000000000000000000000003"),
                Map.entry("GITHUB_REPO", GitHubStandIn.REPO),
                Map.entry("GITHUB_API_URL", github.baseUrl()),
                Map.entry("GIT_PUSH_URL", repos.origin().toString()),
                Map.entry("REPO_CLONE_PATH", repos.cloneDir().toString()),
                Map.entry("WORKTREE_BASE_PATH", repos.worktreeBase().toString()),
                Map.entry("MAX_CONCURRENT_AGENTS", "2")));
        env.putAll(settings);
        return new StoodInStack(data, work, repos, posthog, model, github, TrufflesStack.on(data, env));
    }

    String mongoUri() {
        return "mongodb://127.0.0.1:" + stack.port("EMBEDDED_MONGO_PORT") + "/truffles";
    }

    /** The JVM of a process the launcher started (its pid file names the shell that waits for it). */
    ProcessHandle jvm(String name) throws Exception {
        long shell = Long.parseLong(Files.readString(data.resolve("run").resolve(name + ".pid")).trim());
        return ProcessHandle.of(shell).orElseThrow().children()
                .filter(child -> child.info().command().orElse("").endsWith("java")).findFirst().orElseThrow();
    }

    @Override
    public void close() throws Exception {
        stack.downQuietly();
        posthog.close();
        model.close();
        github.close();
        try (Stream<Path> walk = Files.walk(work)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
