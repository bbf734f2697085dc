package io.truffles.e2e;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.truffles.agentrunner.claude.FakeAnthropicApi;
import io.truffles.agentrunner.job.GitHubFake;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What a stack with a real agent needs around it: the repositories where an install keeps them (under
 * {@code /var/lib}, which the sandbox does not hide as it hides {@code /tmp}), the scripted Messages API as the model,
 * fake GitHub opening pull request 7, and the launcher configured for them (not started). Only the given queued issue's
 * agent runs: the bundled sample recordings are off, so their red issues queue no agents of their own.
 */
final class RealAgentStack implements AutoCloseable {
    final Path work;
    final LocalRepos repos;
    final FakeAnthropicApi model;
    final WireMockServer github;
    final TrufflesStack stack;

    private RealAgentStack(Path work, LocalRepos repos, FakeAnthropicApi model, WireMockServer github,
            TrufflesStack stack) {
        this.work = work;
        this.repos = repos;
        this.model = model;
        this.github = github;
        this.stack = stack;
    }

    /** The stand-ins started and the stack configured on {@code data}, {@code settings} over the defaults here. */
    static RealAgentStack on(Path data, Map<String, String> settings) throws Exception {
        TestAgentUser.ensure();
        Path work = Files.createDirectory(Path.of("/var/lib", "truffles-test-" + UUID.randomUUID()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        LocalRepos repos = LocalRepos.create(work);
        FakeAnthropicApi model = new FakeAnthropicApi();
        WireMockServer github = GitHubFake.start();
        GitHubFake.openingPullRequest7(github);
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("ANTHROPIC_API_KEY", "sk-ant-e2e-fake-key"),
                Map.entry("ANTHROPIC_BASE_URL", model.baseUrl().toString()),
                Map.entry("GITHUB_TOKEN", "ghp_e2etoken0000000000000000000000000001"),
                Map.entry("GITHUB_REPO", GitHubFake.REPO),
                Map.entry("GITHUB_API_URL", github.baseUrl()),
                Map.entry("GIT_PUSH_URL", repos.origin().toString()),
                Map.entry("REPO_CLONE_PATH", repos.cloneDir().toString()),
                Map.entry("WORKTREE_BASE_PATH", repos.worktreeBase().toString()),
                Map.entry("TRUFFLES_POLLER_INBOX_SAMPLES", "false")));
        env.putAll(settings);
        return new RealAgentStack(work, repos, model, github, TrufflesStack.on(data, env));
    }

    String mongoUri() {
        return "mongodb://127.0.0.1:" + stack.port("EMBEDDED_MONGO_PORT") + "/truffles";
    }

    /** Stops the stack (quietly: a test that failed to start it still cleans up), the stand-ins, and the repositories. */
    @Override
    public void close() throws Exception {
        stack.downQuietly();
        model.close();
        github.stop();
        try (Stream<Path> walk = Files.walk(work)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
