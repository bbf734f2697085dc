package io.truffles.agentrunner.job;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.truffles.agentrunner.claude.FakeAnthropicApi;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Everything outside the agent-runner, local: a bare repository as {@code origin} and the runner's clone of it, the
 * fake Messages API the real CLI talks to, and WireMock as the GitHub API.
 */
public class AgentStackResource implements QuarkusTestResourceLifecycleManager {
    static LocalRepos repos;
    static FakeAnthropicApi model;
    static WireMockServer github;
    static Path root;

    @Override
    public Map<String, String> start() {
        try {
            TestAgentUser.ensure();
            root = Files.createTempDirectory("agent-stack", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            repos = LocalRepos.create(root);
            model = new FakeAnthropicApi();
            github = GitHubFake.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.ofEntries(
                Map.entry("truffles.agents.repo-clone-path", repos.cloneDir().toString()),
                Map.entry("truffles.agents.worktree-base-path", repos.worktreeBase().toString()),
                Map.entry("truffles.anthropic.api-key", "sk-ant-fake-key"),
                Map.entry("truffles.github.token", "ghp_testtoken1234"),
                Map.entry("truffles.github.repo", "acme/shop"),
                Map.entry("quarkus.rest-client.github.url", github.baseUrl()),
                Map.entry("agent-runner.anthropic-base-url", model.baseUrl().toString()),
                Map.entry("agent-runner.push-url", repos.origin().toString()),
                Map.entry("agent-runner.run-dir", root.resolve("runs").toString()),
                Map.entry("truffles.data-dir", root.resolve("data").toString()),
                Map.entry("agent-runner.pr-poll-interval", "PT1H"));
    }

    @Override
    public void stop() {
        if (model != null) {
            model.close();
        }
        if (github != null) {
            github.stop();
        }
    }
}
