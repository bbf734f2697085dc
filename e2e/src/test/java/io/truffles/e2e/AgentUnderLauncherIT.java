package io.truffles.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.mongodb.client.model.Filters.eq;
import static io.truffles.agentrunner.claude.FakeAnthropicApi.Block.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.mongodb.client.MongoClient;
import io.truffles.agentrunner.claude.FakeAnthropicApi;
import io.truffles.agentrunner.job.AgentFixtures;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent under the launcher, as an operator runs it: {@code ./truffles up} from the repository's root with a model
 * key, the runner finds the CLI the build installed, and a queued issue goes through the real CLI in the real sandbox
 * (the scripted Messages API as the model) to a commit pushed to the product's origin and a pull request on (fake)
 * GitHub: {@code pr_open}. The repositories live where an install keeps them (under {@code /var/lib}); the operator's
 * {@code .env} is made readable by its owner only.
 */
class AgentUnderLauncherIT {
    @TempDir
    static Path data;

    private static RealAgentStack agents;
    private static LocalRepos repos;
    private static FakeAnthropicApi model;
    private static WireMockServer github;
    private static TrufflesStack launcher;
    private static TrufflesStack.Run up;
    private static Path envFile;

    @BeforeAll
    static void upWithAModelKey() throws Exception {
        // an operator's .env as an editor leaves it, readable by everyone: up makes it the owner's alone
        envFile = data.resolve("operator.env");
        Files.writeString(envFile, "TRUFFLES_E2E_MARKER=1\n");
        Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-r--r--"));
        agents = RealAgentStack.on(data, Map.of("TRUFFLES_ENV_FILE", envFile.toString()));
        repos = agents.repos;
        model = agents.model;
        github = agents.github;
        launcher = agents.stack;
        up = launcher.truffles("up");
    }

    @AfterAll
    static void downAndClean() throws Exception {
        if (agents != null) {
            agents.close();
        }
    }

    @Test
    void aQueuedIssueReachesPrOpenThroughTheRealCliInTheSandbox() throws Exception {
        assertThat(up.exitCode()).as(up.describe()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile))).isEqualTo("rw-------");
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + launcher.port("AGENT_RUNNER_PORT") + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).as("the runner found the CLI and starts agents").contains("\"agents\"")
                .doesNotContain("is not at");
        model.outcome("verifying", Map.of("reproducible", true, "reason", "quantity ignored"))
                .outcome("planning", Map.of("plan", "multiply by quantity"))
                .script("coding", List.of(tool("Bash", Map.of("command",
                        "sed -i 's/s + i.price/s + i.price * i.quantity/' src/cart.js", "description", "fix"))))
                .outcome("coding", Map.of("summary", "Count quantity"))
                .outcome("reviewing", Map.of("approved", true, "summary", "The cart total now counts quantity"));
        String uri = agents.mongoUri();
        try (MongoClient client = MongoConnections.connect(uri)) {
            Documents documents = MongoConnections.documents(client, uri);
            AgentSession queued = AgentFixtures.queue(documents, "Cart total ignores quantity");

            AgentSession ended = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> documents.agentSessions().find(eq("_id", queued.id)).first(),
                            agent -> agent != null && !agent.status.isLive());

            assertThat(ended.status).as("error: %s / %s", ended.error, ended.lastError).isEqualTo(AgentStatus.done);
            assertThat(ended.sandboxed).isTrue();
            Issue issue = documents.issues().find(eq("_id", queued.issueId)).first();
            assertThat(issue.status).isEqualTo(IssueStatus.pr_open);
            assertThat(issue.prNumber).isEqualTo(7);
            assertThat(LocalRepos.git(repos.origin(), "show", issue.prBranch + ":src/cart.js"))
                    .contains("s + i.price * i.quantity");
            github.verify(postRequestedFor(urlPathEqualTo("/repos/acme/shop/pulls")));
            assertThat(model.apiKeys()).isNotEmpty().allMatch("sk-ant-e2e-fake-key"::equals);
        }
    }
}
