package io.truffles.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.mongodb.client.model.Filters.eq;
import static io.truffles.agentrunner.claude.FakeAnthropicApi.Block.tool;
import static io.truffles.e2e.TrufflesStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.mongodb.client.MongoClient;
import io.truffles.agentrunner.claude.FakeAnthropicApi;
import io.truffles.agentrunner.job.GitHubFake;
import io.truffles.agentrunner.sandbox.TestAgentUser;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.analyzer.openrouter.OpenRouterWireMock;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole flow on the stack as {@code ./truffles up} starts it, with stand-ins only for the paid services: PostHog
 * lists a finished recording (a real capture, served in blob_v2 form), the poller imports it, the renderer makes its
 * video, the analyzer's detectors and the OpenRouter models (video, text, screening) make its issues, the red one gets
 * an agent, the real Claude Code CLI (driven by a scripted Messages API) fixes the cart in its sandbox, the runner
 * pushes the branch to the bare origin and opens the PR on GitHub's stand-in. A dashboard's WebSocket sees the agent's
 * statuses and output in order. Then the PR is merged on GitHub and the issue follows to {@code merged}.
 */
class PostHogToPullRequestIT {
    private static final String RECORDING = "0193e2e0-7c1a-7d1e-9b1f-5e2e5e2e5e2e";

    @TempDir
    static Path data;

    private static Path work;
    private static LocalRepos repos;
    private static PostHogStandIn posthog;
    private static OpenRouterWireMock openRouterResource;
    private static WireMockServer openRouter;
    private static FakeAnthropicApi model;
    private static WireMockServer github;
    private static TrufflesStack stack;
    private static TrufflesStack.Run up;

    @BeforeAll
    static void upWithEveryPaidServiceStoodIn() throws Exception {
        TestAgentUser.ensure();
        work = Files.createDirectory(Path.of("/var/lib", "truffles-test-" + UUID.randomUUID()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        repos = LocalRepos.create(work);
        posthog = new PostHogStandIn();
        openRouterResource = new OpenRouterWireMock();
        Map<String, String> openRouterConfig = openRouterResource.start();
        openRouter = OpenRouterWireMock.server();
        OpenRouterWireMock.serveModelList();
        openRouter.stubFor(OpenRouterWireMock.completion("session_video_issues")
                .willReturn(OpenRouterWireMock.answer("{\"issues\":[]}")));
        openRouter.stubFor(OpenRouterWireMock.completion("session_issues")
                .willReturn(OpenRouterWireMock.answer("{\"issues\":[]}")));
        openRouter.stubFor(OpenRouterWireMock.completion("issue_screening").willReturn(OpenRouterWireMock.answer(
                "{\"verdict\":\"real\",\"duplicateOf\":null,\"reasoning\":\"Shoppers cannot check out.\"}")));
        model = new FakeAnthropicApi();
        github = GitHubFake.start();
        GitHubFake.openingPullRequest7(github);
        stack = TrufflesStack.on(data, Map.ofEntries(
                Map.entry("POSTHOG_API_KEY", PostHogStandIn.KEY),
                Map.entry("POSTHOG_PROJECT_ID", PostHogStandIn.PROJECT),
                Map.entry("POSTHOG_HOST", posthog.baseUrl()),
                Map.entry("POLLING_INTERVAL_SECONDS", "5"),
                // PostHog's free plan allows 12 snapshot calls a minute; the stand-in has no such limit
                Map.entry("TRUFFLES_POLLER_POSTHOG_SNAPSHOT_CALLS_PER_MINUTE", "6000"),
                Map.entry("TRUFFLES_POLLER_POSTHOG_SNAPSHOT_CALLS_PER_HOUR", "100000"),
                Map.entry("TRUFFLES_POLLER_INBOX_SAMPLES", "false"),
                Map.entry("OPENROUTER_API_KEY", openRouterConfig.get("truffles.openrouter.api-key")),
                Map.entry("OPENROUTER_BASE_URL", openRouterConfig.get("quarkus.rest-client.openrouter.url")),
                Map.entry("ANTHROPIC_API_KEY", "sk-ant-e2e-fake-key"),
                Map.entry("ANTHROPIC_BASE_URL", model.baseUrl().toString()),
                Map.entry("GITHUB_TOKEN", "ghp_e2etoken0000000000000000000000000002"),
                Map.entry("GITHUB_REPO", GitHubFake.REPO),
                Map.entry("GITHUB_API_URL", github.baseUrl()),
                Map.entry("GIT_PUSH_URL", repos.origin().toString()),
                Map.entry("REPO_CLONE_PATH", repos.cloneDir().toString()),
                Map.entry("WORKTREE_BASE_PATH", repos.worktreeBase().toString()),
                Map.entry("MAX_CONCURRENT_AGENTS", "1"),
                Map.entry("PR_POLL_INTERVAL", "PT2S")));
        up = stack.truffles("up");
    }

    @AfterAll
    static void downAndClean() throws Exception {
        if (stack != null) {
            stack.downQuietly();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {posthog, model}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (openRouterResource != null) {
            openRouterResource.stop();
        }
        if (github != null) {
            github.stop();
        }
        if (work != null) {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void aRecordingListedByPostHogBecomesAnOpenedPullRequestThatIsThenMerged() throws Exception {
        assertThat(up.exitCode()).as(up.describe()).isZero();
        // every agent that the recording's red issues get: the same small fix of the cart, idempotent
        model.outcome("verifying", Map.of("reproducible", true, "reason", "the order save answers 500"))
                .outcome("planning", Map.of("plan", "multiply by quantity"))
                .outcome("coding", Map.of("summary", "Count quantity"))
                .outcome("reviewing", Map.of("approved", true, "summary", "The cart total now counts quantity"));
        for (int i = 0; i < 4; i++) {
            model.script("coding", List.of(tool("Bash", Map.of("command",
                    "grep -q quantity src/cart.js || sed -i 's/s + i.price/s + i.price * i.quantity/' src/cart.js",
                    "description", "fix"))));
        }
        try (AgentFeedClient feed = new AgentFeedClient(stack.api())) {
            await().atMost(Duration.ofSeconds(30)).until(feed::reconnectIfClosed);
            posthog.publish(new PostHogStandIn.Recording(RECORDING, "distinct-ann", "ann@example.com",
                    Instant.now().minus(Duration.ofHours(2)), 9.5,
                    PostHogStandIn.recordedBlob("checkout-rage-click.posthog.jsonl")));

            String uri = "mongodb://127.0.0.1:" + stack.port("EMBEDDED_MONGO_PORT") + "/truffles";
            try (MongoClient client = MongoConnections.connect(uri)) {
                Documents documents = MongoConnections.documents(client, uri);
                Session session = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> documents.sessions().find(eq("posthogSessionId", RECORDING)).first(),
                                found -> found != null && (found.status == SessionStatus.complete
                                        || found.status == SessionStatus.failed));
                assertThat(session.status).as("lastError: %s", session.lastError).isEqualTo(SessionStatus.complete);
                assertThat(posthog.blobCalls(RECORDING)).isEqualTo(1);

                // the issues are on the api, from the detectors with the models' screening
                JsonNode onApi = json(TrufflesStack.get(stack.api() + "/api/sessions/" + session.id.toHexString()));
                List<JsonNode> issues = new ArrayList<>();
                onApi.path("issues").forEach(issues::add);
                assertThat(issues).as(onApi.toString())
                        .anySatisfy(issue -> assertThat(issue.path("title").asText()).contains("Save order"));
                assertThat(openRouter.findAll(postRequestedFor(urlPathEqualTo("/api/v1/chat/completions"))))
                        .extracting(request -> request.getBodyAsString())
                        .anySatisfy(body -> assertThat(body).contains("session_video_issues"))
                        .anySatisfy(body -> assertThat(body).contains("\"session_issues\""))
                        .anySatisfy(body -> assertThat(body).contains("issue_screening"));

                AgentSession agent = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> documents.agentSessions().find(eq("status", AgentStatus.done.name())).first(),
                                found -> found != null);
                Issue fixed = documents.issues().find(eq("_id", agent.issueId)).first();
                assertThat(fixed.status).isEqualTo(IssueStatus.pr_open);
                assertThat(fixed.prNumber).isEqualTo(7);
                assertThat(LocalRepos.git(repos.origin(), "show", fixed.prBranch + ":src/cart.js"))
                        .contains("s + i.price * i.quantity");
                github.verify(postRequestedFor(urlPathEqualTo("/repos/acme/shop/pulls")));

                // the dashboard's feed: that agent's statuses in their order, its output once each, in order
                AgentSession done = documents.agentSessions().find(eq("_id", agent.id)).first();
                String agentId = agent.id.toHexString();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(statuses(feed, agentId))
                        .endsWith("done"));
                assertThat(statuses(feed, agentId)).containsSubsequence("starting", "verifying", "planning",
                        "coding", "reviewing", "done");
                assertThat(statuses(feed, agentId)).doesNotHaveDuplicates();
                List<Integer> seqs = feed.messages().stream()
                        .filter(m -> m.type().equals("output") && m.body().path("agentId").asText().equals(agentId))
                        .map(m -> m.body().path("seq").asInt()).toList();
                assertThat(seqs).as("output entries seen, in order, once each").isNotEmpty()
                        .isEqualTo(java.util.stream.IntStream.range(0, done.outputLog.size()).boxed().toList());
                assertThat(feed.connections()).isEqualTo(1);

                // a human merges the PR on GitHub: the runner's follow-up moves the issue to merged
                github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls/7")).willReturn(okJson(
                        "{\"number\":7,\"state\":\"closed\",\"merged\":true,\"merged_at\":\""
                                + Instant.now() + "\",\"html_url\":\"https://github.com/acme/shop/pull/7\"}")));
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(json(TrufflesStack.get(stack.api() + "/api/issues/" + fixed.id.toHexString()))
                                .path("status").asText()).isEqualTo("merged"));
            }
        }
    }

    /** The statuses the feed announced for one agent, in arrival order. */
    private static List<String> statuses(AgentFeedClient feed, String agentId) {
        return feed.messages().stream()
                .filter(m -> m.type().equals("status") && m.body().path("agentId").asText().equals(agentId))
                .map(m -> m.body().path("status").asText()).toList();
    }
}
