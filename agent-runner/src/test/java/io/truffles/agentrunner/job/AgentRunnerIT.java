package io.truffles.agentrunner.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.mongodb.client.model.Filters.eq;
import static io.truffles.agentrunner.claude.FakeAnthropicApi.Block.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.agentrunner.github.GitHubClient;
import io.truffles.agentrunner.github.OpenedPullRequest;
import io.truffles.agentrunner.worktree.LocalRepos;
import io.truffles.agentrunner.worktree.Worktrees;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.FalseAlarmSource;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Lease;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent-runner service end to end: queue, worktree, real CLI in the real sandbox, push, WireMock GitHub. */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(AgentStackResource.class)
class AgentRunnerIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Documents documents;
    @Inject
    GitHubClient githubClient;
    @Inject
    AgentRunnerService service;

    @BeforeEach
    void reset() {
        AgentStackResource.model.reset();
        GitHubFake.openingPullRequest7(AgentStackResource.github);
    }

    private ObjectId queue(String title) {
        return AgentFixtures.queue(documents, title).id;
    }

    private List<OutboxEntry> outbox(String collection, ObjectId id) {
        return Outbox.entries(documents.database().getCollection(collection).find(eq("_id", id)).first());
    }

    private AgentSession awaitEnd(ObjectId id) {
        return AgentFixtures.awaitEnd(documents, id, Duration.ofMinutes(4));
    }

    @Test
    void anAgentWhoseRunnerDiedMidPhaseOnItsLastAttemptIsEndedWithItsIssueFixFailed() {
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        Issue issue = new Issue();
        issue.id = new ObjectId();
        issue.title = "Checkout button does nothing";
        issue.severity = Severity.red;
        issue.status = IssueStatus.fixing;
        issue.createdAt = longAgo;
        issue.updatedAt = longAgo;
        AgentSession agent = new AgentSession();
        agent.id = new ObjectId();
        agent.issueId = issue.id;
        agent.status = AgentStatus.coding;
        agent.attempts = 3;
        agent.lease = new Lease("agent-runner@dead:1", "gone", longAgo);
        agent.createdAt = longAgo;
        agent.updatedAt = longAgo;
        issue.agentSessionId = agent.id;
        documents.issues().insertOne(issue);
        documents.agentSessions().insertOne(agent);

        AgentSession failed = await().atMost(Duration.ofSeconds(30)).until(
                () -> documents.agentSessions().find(eq("_id", agent.id)).first(),
                s -> s.status == AgentStatus.failed);

        assertThat(failed.error).isEqualTo(failed.lastError).contains("stopped");
        assertThat(failed.completedAt).isNotNull();
        assertThat(failed.lease).isNull();
        Issue ended = documents.issues().find(eq("_id", issue.id)).first();
        assertThat(ended.status).isEqualTo(IssueStatus.fix_failed);
        assertThat(ended.lastError).isEqualTo(failed.lastError);
        assertThat(outbox(AgentSession.COLLECTION, agent.id)).singleElement().satisfies(entry -> {
            assertThat(entry.key()).isEqualTo("agent.failed:" + agent.id.toHexString());
            assertThat(entry.facts()).containsEntry("issueId", issue.id.toHexString())
                    .containsEntry("error", failed.lastError);
        });
    }

    @Test
    void aQueuedIssueEndsWithACommitPushedToOriginAndALabelledPullRequest() throws Exception {
        String cart = "src/cart.js";
        AgentStackResource.model
                .outcome("verifying", Map.of("reproducible", true, "reason", "quantity ignored"))
                .outcome("planning", Map.of("plan", "multiply by quantity"))
                .script("coding", List.of(tool("Bash", Map.of("command",
                        "sed -i 's/s + i.price/s + i.price * i.quantity/' " + cart, "description", "fix"))))
                .outcome("coding", Map.of("summary", "Count quantity"))
                .outcome("reviewing", Map.of("approved", true, "summary", "The cart total now counts quantity"));
        ObjectId id = queue("Cart total ignores quantity");

        AgentSession done = awaitEnd(id);

        assertThat(done.status).as("error: %s / %s", done.error, done.lastError).isEqualTo(AgentStatus.done);
        Issue issue = documents.issues().find(eq("_id", done.issueId)).first();
        String branch = Worktrees.branchFor(issue.id.toHexString());
        assertThat(issue.status).isEqualTo(IssueStatus.pr_open);
        assertThat(issue.prNumber).isEqualTo(7);
        assertThat(issue.prBranch).isEqualTo(branch);
        assertThat(done.prUrl).isEqualTo("https://github.com/acme/shop/pull/7");
        assertThat(outbox(Issue.COLLECTION, issue.id)).singleElement().satisfies(entry -> {
            assertThat(entry.key()).isEqualTo("pr.opened:" + issue.id.toHexString() + ":7");
            assertThat(entry.facts()).isEqualTo(Map.of("prUrl", "https://github.com/acme/shop/pull/7",
                    "prNumber", 7, "agentId", id.toHexString()));
        });
        assertThat(done.filesModified).containsExactly(cart);
        assertThat(done.sandboxed).isTrue();
        assertThat(done.statusHistory).as("every status the live feed shows").extracting(change -> change.status)
                .containsSubsequence(AgentStatus.starting, AgentStatus.verifying, AgentStatus.planning,
                        AgentStatus.coding, AgentStatus.reviewing, AgentStatus.done)
                .endsWith(AgentStatus.done);
        // the fake model's edit is a commit on the fix branch in the bare origin
        assertThat(LocalRepos.git(AgentStackResource.repos.origin(), "show", branch + ":" + cart))
                .contains("s + i.price * i.quantity");
        assertThat(LocalRepos.git(AgentStackResource.repos.origin(), "log", "-1", "--format=%s", branch))
                .isEqualTo("Fix: Cart total ignores quantity");
        AgentStackResource.github.verify(postRequestedFor(urlPathEqualTo("/repos/acme/shop/pulls"))
                .withHeader("Authorization", equalTo("Bearer ghp_testtoken1234"))
                .withRequestBody(matchingJsonPath("$.head", equalTo(branch)))
                .withRequestBody(matchingJsonPath("$.base", equalTo("main")))
                .withRequestBody(matchingJsonPath("$.body", com.github.tomakehurst.wiremock.client.WireMock
                        .containing("The cart total now counts quantity"))));
        AgentStackResource.github.verify(postRequestedFor(urlPathEqualTo("/repos/acme/shop/issues/7/labels"))
                .withRequestBody(matchingJsonPath("$.labels[0]", equalTo("truffles-autofix"))));
        // every stream-json line, in order: phases never go back, and the cost is the sum of the CLI's results
        List<String> phases = done.outputLog.stream().map(e -> e.phase).toList();
        assertThat(phases).containsSubsequence("verifying", "planning", "coding", "reviewing");
        assertThat(phases.stream().distinct().toList()).containsExactly("verifying", "planning", "coding", "reviewing");
        double summed = 0;
        for (OutputEntry entry : done.outputLog) {
            var node = JSON.readTree(entry.content);
            if ("result".equals(node.path("type").asText())) {
                summed += node.path("total_cost_usd").asDouble();
            }
        }
        assertThat(done.costUsd).isEqualTo(summed).isPositive();
        // the day's agent spend counts it (the larger of the CLI's and the bridge's counts: at least the CLI's)
        assertThat(documents.modelSpend().find(com.mongodb.client.model.Filters.eq("_id",
                io.truffles.core.spend.SpendLedger.dayOf(done.completedAt))).first().agentCostUsd)
                .isGreaterThanOrEqualTo(done.costUsd);
        assertThat(AgentStackResource.repos.worktreeBase().resolve(id.toHexString())).doesNotExist();
        System.out.printf("BENCHMARK agent (real CLI, fake model, 4 phases, shared 2-core machine, load average %s): "
                + "claim -> first output entry %d ms; agent exit -> PR opened %d ms%n",
                String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3)),
                Duration.between(done.startedAt, done.outputLog.get(0).timestamp).toMillis(),
                Duration.between(done.outputLog.get(done.outputLog.size() - 1).timestamp, done.completedAt).toMillis());
    }

    @Test
    void aModelThatCannotReproduceMakesAFalseAlarmAndPushesNothing() {
        AgentStackResource.model.outcome("verifying", Map.of("reproducible", false,
                "reason", "the total already multiplies by quantity"));
        ObjectId id = queue("Checkout button dead");

        AgentSession ended = awaitEnd(id);

        assertThat(ended.status).isEqualTo(AgentStatus.false_alarm);
        assertThat(ended.falseAlarmReason).isEqualTo("the total already multiplies by quantity");
        Issue issue = documents.issues().find(eq("_id", ended.issueId)).first();
        assertThat(issue.status).isEqualTo(IssueStatus.false_alarm);
        assertThat(issue.falseAlarmReason).isEqualTo("the total already multiplies by quantity");
        FalseAlarm alarm = documents.falseAlarms().find(eq("issueId", issue.id)).first();
        assertThat(alarm.source).isEqualTo(FalseAlarmSource.agent);
        assertThat(LocalRepos.git(AgentStackResource.repos.origin(), "branch", "--list",
                Worktrees.branchFor(issue.id.toHexString()))).isEmpty();
        AgentStackResource.github.verify(0, postRequestedFor(urlPathEqualTo("/repos/acme/shop/pulls")));
    }

    @Test
    void anOpenPullRequestForTheBranchIsReusedNotCreatedTwice() {
        AgentStackResource.github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls")).willReturn(okJson(
                "[{\"number\":7,\"state\":\"open\",\"draft\":false,\"html_url\":\"https://github.com/acme/shop/pull/7\"}]")));

        OpenedPullRequest pr = githubClient.openPullRequest("truffles/fix-0000abcd", "main", "t", "b");

        assertThat(pr).isEqualTo(new OpenedPullRequest(7, "https://github.com/acme/shop/pull/7", true, false));
        AgentStackResource.github.verify(0, postRequestedFor(urlPathEqualTo("/repos/acme/shop/pulls")));
    }

    @Test
    void aPlanWithoutDraftsGetsANormalPullRequest() {
        AgentStackResource.github.stubFor(post(urlPathEqualTo("/repos/acme/shop/pulls"))
                .withRequestBody(matchingJsonPath("$.draft", equalTo("true")))
                .willReturn(aResponse().withStatus(422).withHeader("content-type", "application/json").withBody(
                        "{\"message\":\"Validation Failed\",\"errors\":[{\"message\":\"Draft pull requests are not "
                                + "supported in this repository.\"}]}")));
        AgentStackResource.github.stubFor(post(urlPathEqualTo("/repos/acme/shop/pulls"))
                .withRequestBody(matchingJsonPath("$.draft", equalTo("false")))
                .willReturn(aResponse().withStatus(201).withHeader("content-type", "application/json")
                        .withBody("{\"number\":8,\"state\":\"open\",\"draft\":false,"
                                + "\"html_url\":\"https://github.com/acme/shop/pull/8\"}")));
        AgentStackResource.github.stubFor(post(urlPathEqualTo("/repos/acme/shop/issues/8/labels"))
                .willReturn(okJson("[]")));

        OpenedPullRequest pr = githubClient.openPullRequest("truffles/fix-0000abce", "main", "t", "b");

        assertThat(pr).isEqualTo(new OpenedPullRequest(8, "https://github.com/acme/shop/pull/8", false, false));
    }

    private Issue prOpen(int number) {
        Issue issue = new Issue();
        issue.id = new ObjectId();
        issue.title = "PR " + number;
        issue.severity = Severity.red;
        issue.status = IssueStatus.pr_open;
        issue.prNumber = number;
        issue.prUrl = "https://github.com/acme/shop/pull/" + number;
        issue.createdAt = Instant.now();
        issue.updatedAt = Instant.now();
        documents.issues().insertOne(issue);
        return issue;
    }

    private IssueStatus statusOf(Issue issue) {
        return documents.issues().find(eq("_id", issue.id)).first().status;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder pull(int number, String state,
            boolean merged) {
        return okJson("{\"number\":" + number + ",\"state\":\"" + state + "\",\"merged\":" + merged
                + ",\"html_url\":\"https://github.com/acme/shop/pull/" + number + "\"}");
    }

    @Test
    void openPullRequestsAreFollowedToMergedOrClosedAndAnOpenOneStaysOpen() {
        documents.issues().deleteMany(eq("status", IssueStatus.pr_open.name()));
        Issue merged = prOpen(11);
        Issue closed = prOpen(12);
        Issue open = prOpen(13);
        AgentStackResource.github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls/11")).willReturn(pull(11, "closed", true)));
        AgentStackResource.github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls/12")).willReturn(pull(12, "closed", false)));
        AgentStackResource.github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls/13")).willReturn(pull(13, "open", false)));

        service.followPullRequests();

        assertThat(statusOf(merged)).isEqualTo(IssueStatus.merged);
        assertThat(statusOf(closed)).isEqualTo(IssueStatus.pr_closed);
        assertThat(statusOf(open)).isEqualTo(IssueStatus.pr_open);
        assertThat(outbox(Issue.COLLECTION, merged.id)).singleElement().satisfies(entry -> {
            assertThat(entry.key()).isEqualTo("pr.merged:" + merged.id.toHexString());
            assertThat(entry.facts()).isEqualTo(Map.of("prUrl", "https://github.com/acme/shop/pull/11",
                    "prNumber", 11));
        });
        assertThat(outbox(Issue.COLLECTION, closed.id)).as("closed unmerged is no news").isEmpty();
        assertThat(outbox(Issue.COLLECTION, open.id)).isEmpty();
        AgentStackResource.github.verify(getRequestedFor(urlPathEqualTo("/repos/acme/shop/pulls/11"))
                .withHeader("Authorization", equalTo("Bearer ghp_testtoken1234")));
    }

    @Test
    void aRateLimitStopsFollowingUntilTheResetGitHubNamed() {
        documents.issues().deleteMany(eq("status", IssueStatus.pr_open.name()));
        Issue first = prOpen(21);
        Issue second = prOpen(22);
        // far enough ahead that the two rounds below both fall before it even when a loaded machine is slow with the
        // first (a reset that passed between them let the second round call GitHub again)
        long reset = Instant.now().plusSeconds(6).getEpochSecond() + 1;
        AgentStackResource.github.stubFor(get(urlPathMatching("/repos/acme/shop/pulls/2[12]"))
                .inScenario("rate").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(403).withHeader("content-type", "application/json")
                        .withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", Long.toString(reset))
                        .withBody("{\"message\":\"API rate limit exceeded\"}"))
                .willSetStateTo("reset"));
        AgentStackResource.github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls/21")).inScenario("rate")
                .whenScenarioStateIs("reset").willReturn(pull(21, "closed", true)));
        AgentStackResource.github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls/22")).inScenario("rate")
                .whenScenarioStateIs("reset").willReturn(pull(22, "closed", false)));

        service.followPullRequests();
        service.followPullRequests();

        // one call answered 403 with remaining 0: the round stopped, and the next round waited for the reset
        AgentStackResource.github.verify(1, getRequestedFor(urlPathMatching("/repos/acme/shop/pulls/2[12]")));
        assertThat(statusOf(first)).isEqualTo(IssueStatus.pr_open);
        assertThat(statusOf(second)).isEqualTo(IssueStatus.pr_open);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            service.followPullRequests();
            assertThat(statusOf(first)).isEqualTo(IssueStatus.merged);
            assertThat(statusOf(second)).isEqualTo(IssueStatus.pr_closed);
        });
        assertThat(Instant.now().getEpochSecond()).isGreaterThanOrEqualTo(reset);
    }
}
