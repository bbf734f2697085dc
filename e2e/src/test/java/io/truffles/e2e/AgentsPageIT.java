package io.truffles.e2e;

import static io.truffles.agentrunner.claude.FakeAnthropicApi.Block.tool;
import static io.truffles.e2e.TrufflesStack.get;
import static io.truffles.e2e.TrufflesStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.mongodb.client.MongoClient;
import io.truffles.agentrunner.claude.FakeAnthropicApi;
import io.truffles.agentrunner.job.AgentFixtures;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agents pages in Debian's Chromium against the stack {@code ./truffles up} starts, with a real agent: the real
 * {@code claude} CLI in the sandbox, the scripted Messages API as its model. The model answers a few tool calls in the
 * coding phase and then hangs, so the agent keeps running until the test stops it from the page. Screenshots go to
 * {@code target/screenshots} (ui/docs holds copies).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentsPageIT {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String PASSWORD = "e2e-admin-password-agents";
    private static final int STEPS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    private static RealAgentStack agents;
    private static FakeAnthropicApi model;
    private static TrufflesStack stack;
    private static MongoClient mongo;
    private static Playwright playwright;
    private static Browser browser;
    private static Page page;
    private static String agentId;
    /** The page's side of its /ws/agents connections; a test closes them to drop the feed. */
    private static final List<WebSocketRoute> sockets = new ArrayList<>();
    /** While set, the page's reconnects are refused (the api is "unreachable"). */
    private static volatile boolean refuseSockets;

    @BeforeAll
    static void upWithARunningAgentAndABrowser() throws Exception {
        agents = RealAgentStack.on(data, Map.of("ADMIN_PASSWORD", PASSWORD));
        model = agents.model;
        stack = agents.stack;
        TrufflesStack.Run up = stack.truffles("up");
        assertThat(up.exitCode()).as(up.describe()).isZero();

        model.outcome("verifying", Map.of("reproducible", true, "reason", "quantity ignored"))
                .outcome("planning", Map.of("plan", "multiply by quantity"));
        // each step a second apart, so they arrive one by one; no coding outcome: the test hangs the model instead
        for (int step = 1; step <= STEPS; step++) {
            model.script("coding", List.of(tool("Bash", Map.of("command", "sleep 1; echo step-" + step + "-done",
                    "description", "step " + step))));
        }
        String uri = agents.mongoUri();
        mongo = MongoConnections.connect(uri);
        Documents documents = MongoConnections.documents(mongo, uri);
        AgentSession queued = AgentFixtures.queue(documents, "Cart total ignores quantity");
        agentId = queued.id.toHexString();
        Files.createDirectories(SCREENSHOTS);

        playwright = DebianChromium.playwright();
        browser = DebianChromium.launch(playwright);
        page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
        page.routeWebSocket("**/ws/agents", socket -> {
            if (refuseSockets) {
                socket.close();
                return;
            }
            socket.connectToServer();
            synchronized (sockets) {
                sockets.add(socket);
            }
        });
    }

    @AfterAll
    static void closeAndDown() throws Exception {
        if (playwright != null) {
            playwright.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (agents != null) {
            agents.close();
        }
    }

    @Test
    @Order(1)
    void theAgentPageShowsItsStepsArrivingInOrder() throws Exception {
        page.navigate(stack.api() + "/agents");
        Locator row = page.locator("tr[data-agent='" + agentId + "']");
        row.waitFor(new Locator.WaitForOptions().setTimeout(120_000));
        row.getByRole(AriaRole.LINK).click();
        page.waitForURL("**/agents/" + agentId);
        // every step's row as it first appears, in the order it appears
        page.evaluate("() => { window.__arrivals = []; new MutationObserver(() => {"
                + " document.querySelectorAll('.tool-target').forEach(t => { const m = t.textContent.match(/step-(\\d+)/);"
                + " if (m && !window.__arrivals.includes(+m[1])) window.__arrivals.push(+m[1]); }); })"
                + ".observe(document.body, { childList: true, subtree: true, characterData: true }); }");
        page.locator(".tool-target", new Page.LocatorOptions().setHasText("step-3-done"))
                .waitFor(new Locator.WaitForOptions().setTimeout(180_000));
        // from here the model never answers again: the agent keeps running in coding until it is stopped
        model.hang();
        page.getByText("Coding", new Page.GetByTextOptions().setExact(true)).first().waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("agent-page.png")));

        List<Integer> arrivals = numbers(page.evaluate("() => window.__arrivals"));
        assertThat(arrivals).as("steps in the order they appeared").isNotEmpty()
                .isEqualTo(IntStream.rangeClosed(arrivals.get(0), arrivals.get(arrivals.size() - 1)).boxed().toList());
        assertThat(page.locator(".tool-call", new Page.LocatorOptions().setHasText("step-1-done")).textContent())
                .contains("✓");
        assertThat(page.getByTestId("agent-cost").textContent()).startsWith("$");
        assertThat(page.locator(".feed-indicator").textContent()).contains("Live");

        page.navigate(stack.api() + "/agents");
        page.locator("tr[data-agent='" + agentId + "']").getByText("Coding").waitFor();
        // phase, elapsed, the cost so far in dollars, tokens in / out
        assertThat(page.locator("tr[data-agent='" + agentId + "'] td.num").allTextContents())
                .satisfies(cells -> assertThat(cells.get(1)).startsWith("$"))
                .satisfies(cells -> assertThat(cells.get(2)).matches("[\\d.]+k? / [\\d.]+k?"));
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("agents-list.png")));

        // the issue page lists the run with its phase and, while it runs, its cost so far in dollars
        String issueId = json(get(stack.api() + "/api/agents/" + agentId + "?logLimit=1")).path("issueId").asText();
        page.navigate(stack.api() + "/issues/" + issueId);
        Locator run = page.locator("section[aria-labelledby=agents-title] tr",
                new Page.LocatorOptions().setHas(page.locator("a[href='/agents/" + agentId + "']")));
        run.waitFor();
        assertThat(run.textContent()).contains("Agent coding").containsPattern("\\$\\d+\\.\\d+ so far");
    }

    @Test
    @Order(2)
    void aDroppedFeedReconnectsAndTheLogMatchesTheApisWithNothingTwiceOrMissing() throws Exception {
        page.navigate(stack.api() + "/agents/" + agentId);
        page.locator(".feed-indicator", new Page.LocatorOptions().setHasText("Live")).waitFor();
        awaitLogMatchesApi();

        refuseSockets = true;
        synchronized (sockets) {
            sockets.forEach(WebSocketRoute::close);
            sockets.clear();
        }
        page.getByText("Reconnecting…").first().waitFor();
        assertThat(page.locator(".feed-indicator").textContent()).contains("Reconnecting");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("agent-reconnecting.png")));
        // entries written while it was away (the step that was running) come from the snapshot or the api
        refuseSockets = false;
        page.locator(".feed-indicator", new Page.LocatorOptions().setHasText("Live"))
                .waitFor(new Locator.WaitForOptions().setTimeout(30_000));
        page.locator(".reconnecting").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        awaitLogMatchesApi();

        // a reload mid-run shows the whole history
        page.reload();
        awaitLogMatchesApi();
    }

    @Test
    @Order(3)
    void stopAsksForThePasswordShowsStoppingAtOnceAndEndsTheAgent() throws Exception {
        page.navigate(stack.api() + "/agents/" + agentId);
        page.evaluate("() => sessionStorage.clear()");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop").setExact(true)).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop agent")).click();
        assertThat(page.locator(".agent-title .phase").textContent()).isEqualTo("Stopping…");

        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.locator("input[type=password]").fill("not-the-password");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Continue")).click();
        dialog.getByRole(AriaRole.ALERT).waitFor();
        assertThat(dialog.locator("input[type=password]").inputValue()).as("what was typed is kept")
                .isEqualTo("not-the-password");
        dialog.locator("input[type=password]").fill(PASSWORD);
        Response stop = page.waitForResponse(response -> response.url().endsWith("/api/agents/" + agentId + "/stop"),
                () -> dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Continue")).click());
        assertThat(stop.status()).isEqualTo(202);
        Instant acknowledged = Instant.parse(JSON.readTree(stop.body()).path("updatedAt").asText());

        page.locator(".agent-title .phase-failed").waitFor(new Locator.WaitForOptions().setTimeout(60_000));
        // the runner's reason and the end time are read once more just after the end
        page.locator(".agent-page .error-box").waitFor(new Locator.WaitForOptions().setTimeout(10_000));
        JsonNode ended = json(get(stack.api() + "/api/agents/" + agentId + "?logLimit=5000"));
        assertThat(ended.path("status").asText()).isEqualTo("failed");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop").setExact(true))
                .count()).isZero();
        assertThat(page.locator(".step-ended-in").textContent()).as("the phase it was stopped in").isEqualTo("Coding");
        assertThat((String) page.evaluate("() => sessionStorage.getItem('truffles.adminPassword')")).isEqualTo(PASSWORD);
        assertThat((Object) page.evaluate("() => localStorage.getItem('truffles.adminPassword')")).isNull();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("agent-stopped.png")));

        // no row on the page comes from an entry written after the stop was acknowledged
        JsonNode log = ended.path("outputLog");
        for (int seq : renderedRows().seqs()) {
            Instant written = Instant.parse(log.get(seq).path("timestamp").asText());
            assertThat(written).as("entry %d", seq).isBeforeOrEqualTo(acknowledged);
        }

        page.navigate(stack.api() + "/agents");
        page.locator("#agents-finished ~ table tr[data-agent='" + agentId + "'] .phase-failed").waitFor();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("agents-finished.png")));
    }

    /** The rows the page built, read by scrolling its virtualised log from top to bottom. */
    private record Rendered(List<Integer> seqs, List<String> tools, int entries) {
    }

    @SuppressWarnings("unchecked")
    private static Rendered renderedRows() {
        Map<String, Object> read = (Map<String, Object>) page.evaluate("async () => {"
                + " const log = document.querySelector('.log'); const seen = new Map();"
                + " for (let top = 0; ; top += log.clientHeight / 2) {"
                + "   log.scrollTop = top; await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));"
                + "   log.querySelectorAll('.log-row').forEach(r => seen.set(+r.dataset.index,"
                + "     { seq: +r.dataset.seq, tool: r.dataset.tool || null }));"
                + "   if (top >= log.scrollHeight) break; }"
                + " const rows = [...seen.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);"
                + " log.scrollTop = log.scrollHeight;"
                + " return { count: +log.dataset.rows, seen: rows.length, seqs: rows.map(r => r.seq),"
                + "   tools: rows.filter(r => r.tool).map(r => r.tool), entries: +log.dataset.entries }; }");
        assertThat(((Number) read.get("seen")).intValue()).as("every row was visited").isEqualTo(
                ((Number) read.get("count")).intValue());
        return new Rendered(numbers(read.get("seqs")), (List<String>) read.get("tools"),
                ((Number) read.get("entries")).intValue());
    }

    /**
     * The page holds exactly the api's log: as many entries, each tool call once and in the api's order, and rows in
     * the log's order.
     */
    private static void awaitLogMatchesApi() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                // Playwright's objects belong to the thread that made them
                .pollInSameThread().untilAsserted(() -> {
            JsonNode api = json(get(stack.api() + "/api/agents/" + agentId + "?logLimit=5000"));
            Rendered rendered = renderedRows();
            assertThat(rendered.entries()).isEqualTo(api.path("outputLogTotal").asInt());
            assertThat(rendered.tools()).isEqualTo(toolCalls(api.path("outputLog")));
            assertThat(rendered.seqs()).isSorted();
        });
    }

    /** The tool calls' ids in the api's log, in order. */
    private static List<String> toolCalls(JsonNode log) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : log) {
            String content = entry.path("content").asText();
            if (!content.startsWith("{")) {
                continue;
            }
            JsonNode line = JSON.readTree(content);
            if (line.path("type").asText().equals("assistant")) {
                for (JsonNode block : line.path("message").path("content")) {
                    if (block.path("type").asText().equals("tool_use")) {
                        ids.add(block.path("id").asText());
                    }
                }
            }
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> numbers(Object list) {
        return ((List<Object>) list).stream().map(n -> ((Number) n).intValue()).toList();
    }
}
