package io.truffles.agentrunner.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.mongodb.client.model.Filters.eq;
import static io.truffles.agentrunner.claude.FakeAnthropicApi.Block.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.truffles.agentrunner.claude.FakeAnthropicApi;
import io.truffles.agentrunner.sandbox.ProcessTree;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.agentrunner.worktree.Worktrees;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged runner SIGKILLed while the real CLI is in the middle of an agent (its model request pending): the
 * sandbox dies with it, the restarted runner removes the stale worktree and branch, runs the agent again, and exactly
 * one pull request and one fix commit come out.
 */
class RunnerCrashIT {

    @Test
    void aRunnerKilledMidAgentCleansTheStaleWorktreeOnRestartAndRunsTheAgentAgainToExactlyOnePullRequest()
            throws Exception {
        TestAgentUser.ensure();
        Path work = Files.createTempDirectory("agent-crash", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        LocalRepos repos = LocalRepos.create(work);
        WireMockServer github = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .bindAddress("127.0.0.1"));
        github.start();
        github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls")).willReturn(okJson("[]")));
        github.stubFor(post(urlPathEqualTo("/repos/acme/shop/pulls")).willReturn(aResponse().withStatus(201)
                .withHeader("content-type", "application/json").withBody("{\"number\":7,\"state\":\"open\","
                        + "\"draft\":true,\"html_url\":\"https://github.com/acme/shop/pull/7\"}")));
        github.stubFor(post(urlPathEqualTo("/repos/acme/shop/issues/7/labels")).willReturn(okJson("[]")));
        try (FakeAnthropicApi model = new FakeAnthropicApi(); TestDatabase db = TestDatabase.start()) {
            model.hang();
            AgentSession agent = AgentFixtures.queue(db.documents(), "Cart total ignores quantity");
            String id = agent.id.toHexString();
            Path worktree = repos.worktreeBase().resolve(id);
            Map<String, String> properties = Map.ofEntries(
                    Map.entry("truffles.mongodb.uri", db.uri()),
                    Map.entry("truffles.agents.repo-clone-path", repos.cloneDir().toString()),
                    Map.entry("truffles.agents.worktree-base-path", repos.worktreeBase().toString()),
                    Map.entry("truffles.anthropic.api-key", "sk-ant-fake-key"),
                    Map.entry("truffles.github.token", "ghp_testtoken1234"),
                    Map.entry("truffles.github.repo", "acme/shop"),
                    Map.entry("quarkus.rest-client.github.url", github.baseUrl()),
                    Map.entry("agent-runner.claude-cli",
                            Path.of("claude-code/node_modules/@anthropic-ai/claude-code/bin/claude.exe")
                                    .toAbsolutePath().toString()),
                    Map.entry("agent-runner.anthropic-base-url", model.baseUrl().toString()),
                    Map.entry("agent-runner.push-url", repos.origin().toString()),
                    Map.entry("agent-runner.run-dir", work.resolve("runs").toString()),
                    Map.entry("agent-runner.pr-poll-interval", "PT1H"),
                    Map.entry("agent-runner.lease-ttl", "PT5S"));

            List<ProcessHandle> sandbox;
            try (PackagedRunner first = PackagedRunner.start(work, "first", properties)) {
                // mid-agent: the CLI, inside the sandbox in its worktree, waits on the model
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                        .until(() -> !model.requests().isEmpty());
                assertThat(worktree).isDirectory();
                sandbox = ProcessHandle.of(first.pid()).orElseThrow().descendants().toList();
                assertThat(sandbox).isNotEmpty();
                first.kill();
            }
            // --die-with-parent: nothing of the agent outlives the runner
            await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.stream().noneMatch(ProcessTree::running));
            assertThat(worktree).as("what the crash left").isDirectory();
            String branch = Worktrees.branchFor(agent.issueId.toHexString());
            assertThat(LocalRepos.git(repos.cloneDir(), "branch", "--list", branch)).contains(branch);

            model.reset()
                    .outcome("verifying", Map.of("reproducible", true, "reason", "quantity ignored"))
                    .outcome("planning", Map.of("plan", "multiply by quantity"))
                    .script("coding", List.of(tool("Bash", Map.of("command",
                            "sed -i 's/s + i.price/s + i.price * i.quantity/' src/cart.js", "description", "fix"))))
                    .outcome("coding", Map.of("summary", "Count quantity"))
                    .outcome("reviewing", Map.of("approved", true, "summary", "The total counts quantity"));
            // restart once the dead runner's lease has run out, as a restart after a crash finds it
            await().atMost(Duration.ofSeconds(30)).until(() -> db.documents().agentSessions()
                    .find(eq("_id", agent.id)).first().lease.until.isBefore(Instant.now()));
            try (PackagedRunner second = PackagedRunner.start(work, "second", properties)) {
                AgentSession done = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> db.documents().agentSessions().find(eq("_id", agent.id)).first(),
                                s -> !s.status.isLive());
                assertThat(done.status).as(second.log()).isEqualTo(AgentStatus.done);
                assertThat(second.log()).contains("1 agent(s) whose runner stopped mid-phase are claimable again");
                assertThat(second.log()).contains("Removed 1 stale agent worktree(s) left by an earlier run: [" + id + "]");
                Issue issue = db.documents().issues().find(eq("_id", agent.issueId)).first();
                assertThat(issue.status).isEqualTo(IssueStatus.pr_open);
            }
            github.verify(1, postRequestedFor(urlPathEqualTo("/repos/acme/shop/pulls")));
            assertThat(LocalRepos.git(repos.origin(), "rev-list", "--count", "main.." + branch)).isEqualTo("1");
            assertThat(LocalRepos.git(repos.origin(), "show", branch + ":src/cart.js"))
                    .contains("s + i.price * i.quantity");
            assertThat(worktree).doesNotExist();
            assertThat(LocalRepos.git(repos.cloneDir(), "worktree", "list", "--porcelain").lines()
                    .filter(l -> l.startsWith("worktree "))).hasSize(1);
            assertThat(LocalRepos.git(repos.cloneDir(), "branch", "--list", Worktrees.BRANCH_PREFIX + "*")).isEmpty();
        } finally {
            github.stop();
        }
    }
}
