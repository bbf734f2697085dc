package io.truffles.agentrunner.job;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.truffles.agentrunner.claude.FakeAnthropicApi;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged runner started without {@code ANTHROPIC_API_KEY}, running the real CLI: the CLI's own "Not logged in"
 * result ends the agent at once as a configuration error, said so, and is not retried.
 */
class MissingKeyIT {

    @Test
    void withoutAKeyTheAgentFailsOnItsFirstAttemptWithTheClisNotLoggedInResultAsAConfigurationError() throws Exception {
        TestAgentUser.ensure();
        Path work = Files.createTempDirectory("agent-no-key", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        LocalRepos repos = LocalRepos.create(work);
        try (FakeAnthropicApi model = new FakeAnthropicApi(); TestDatabase db = TestDatabase.start();
                PackagedRunner runner = PackagedRunner.start(work, "runner", Map.of(
                        "truffles.mongodb.uri", db.uri(),
                        "truffles.agents.repo-clone-path", repos.cloneDir().toString(),
                        "truffles.agents.worktree-base-path", repos.worktreeBase().toString(),
                        "agent-runner.claude-cli", Path.of(
                                "claude-code/node_modules/@anthropic-ai/claude-code/bin/claude.exe")
                                .toAbsolutePath().toString(),
                        "agent-runner.anthropic-base-url", model.baseUrl().toString(),
                        "agent-runner.run-dir", work.resolve("runs").toString(),
                        "agent-runner.pr-poll-interval", "PT1H",
                        "agent-runner.retry-backoff", "PT1S"))) {
            AgentSession queued = AgentFixtures.queue(db.documents(), "Cart total ignores quantity");

            AgentSession failed = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .until(() -> db.documents().agentSessions().find(eq("_id", queued.id)).first(),
                            agent -> !agent.status.isLive() && !List.of(IssueStatus.queued, IssueStatus.fixing)
                                    .contains(db.documents().issues().find(eq("_id", agent.issueId)).first().status));

            assertThat(failed.status).as(runner.log()).isEqualTo(AgentStatus.failed);
            assertThat(failed.error).contains("Claude Code has no model API key: set ANTHROPIC_API_KEY")
                    .contains("success (is_error)").contains("Not logged in · Please run /login");
            assertThat(failed.attempts).as("a configuration error is not retried").isEqualTo(1);
            assertThat(failed.statusHistory).filteredOn(change -> change.status == AgentStatus.starting).hasSize(1);
            // the CLI's own result line is in the log, as it printed it
            assertThat(failed.outputLog).anyMatch(entry -> entry.content.contains("\"is_error\":true")
                    && entry.content.contains("Not logged in"));
            Issue issue = db.documents().issues().find(eq("_id", failed.issueId)).first();
            assertThat(issue.status).isEqualTo(IssueStatus.fix_failed);
            assertThat(issue.lastError).contains("set ANTHROPIC_API_KEY");
            assertThat(model.requests()).as("the CLI never reached the model").isEmpty();
            assertThat(runner.log()).contains("ANTHROPIC_API_KEY is not set");
            assertThat(repos.worktreeBase().resolve(queued.id.toHexString())).doesNotExist();
        }
    }
}
