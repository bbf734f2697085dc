package io.truffles.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.mongodb.client.model.Filters.eq;
import static io.truffles.e2e.TrufflesStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.mongodb.client.MongoClient;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private static OpenRouterWireMock openRouterResource;
    private static WireMockServer openRouter;
    private static StoodInStack flow;
    private static TrufflesStack.Run up;

    @BeforeAll
    static void upWithEveryPaidServiceStoodIn() throws Exception {
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
        flow = StoodInStack.on(data, Map.of(
                "OPENROUTER_API_KEY", openRouterConfig.get("truffles.openrouter.api-key"),
                "OPENROUTER_BASE_URL", openRouterConfig.get("quarkus.rest-client.openrouter.url"),
                "MAX_CONCURRENT_AGENTS", "1",
                "PR_POLL_INTERVAL", "PT2S"));
        up = flow.stack.truffles("up");
    }

    @AfterAll
    static void downAndClean() throws Exception {
        if (flow != null) {
            flow.close();
        }
        if (openRouterResource != null) {
            openRouterResource.stop();
        }
    }

    @Test
    void aRecordingListedByPostHogBecomesAnOpenedPullRequestThatIsThenMerged() throws Exception {
        assertThat(up.exitCode()).as(up.describe()).isZero();
        try (AgentFeedClient feed = new AgentFeedClient(flow.stack.api())) {
            await().atMost(Duration.ofSeconds(30)).until(feed::reconnectIfClosed);
            flow.posthog.publish(new PostHogStandIn.Recording(RECORDING, "distinct-ann", "ann@example.com",
                    Instant.now().minus(Duration.ofHours(2)), 9.5,
                    PostHogStandIn.recordedBlob("checkout-rage-click.posthog.jsonl")));

            String uri = flow.mongoUri();
            try (MongoClient client = MongoConnections.connect(uri)) {
                Documents documents = MongoConnections.documents(client, uri);
                Session session = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> documents.sessions().find(eq("posthogSessionId", RECORDING)).first(),
                                found -> found != null && (found.status == SessionStatus.complete
                                        || found.status == SessionStatus.failed));
                assertThat(session.status).as("lastError: %s", session.lastError).isEqualTo(SessionStatus.complete);
                assertThat(flow.posthog.blobCalls(RECORDING)).isEqualTo(1);

                // the issues are on the api, from the detectors with the models' screening
                JsonNode onApi = json(TrufflesStack.get(flow.stack.api() + "/api/sessions/"
                        + session.id.toHexString()));
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
                GitHubStandIn.PullRequest opened = flow.github.pulls().stream()
                        .filter(pr -> pr.head().equals(fixed.prBranch)).findFirst().orElseThrow();
                assertThat(fixed.prNumber).isEqualTo(opened.number());
                assertThat(LocalRepos.git(flow.repos.origin(), "show", fixed.prBranch + ":src/cart.js"))
                        .contains("s + i.price * i.quantity");

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
                flow.github.merge(opened.number());
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(json(TrufflesStack.get(flow.stack.api() + "/api/issues/" + fixed.id.toHexString()))
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
