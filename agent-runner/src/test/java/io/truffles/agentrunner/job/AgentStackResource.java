package io.truffles.agentrunner.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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
            github = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
            github.start();
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

    /** GitHub answering as for a repository without an open PR for the branch: PR #7 created, then labelled. */
    static void gitHubWithoutPullRequests() {
        github.resetAll();
        github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls")).willReturn(okJson("[]")));
        github.stubFor(post(urlPathEqualTo("/repos/acme/shop/pulls")).willReturn(aResponse()
                .withStatus(201).withHeader("content-type", "application/json")
                .withBody("{\"number\":7,\"state\":\"open\",\"draft\":true,"
                        + "\"html_url\":\"https://github.com/acme/shop/pull/7\"}")));
        github.stubFor(post(urlPathEqualTo("/repos/acme/shop/issues/7/labels"))
                .willReturn(okJson("[{\"name\":\"truffles-autofix\"}]")));
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
