package io.truffles.e2e;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Updates;
import io.truffles.e2e.TrufflesStack.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Prints how the agent page keeps up: an agent with 5,000 entries in its log and 25 new ones a second, in Chromium on
 * the embedded stack — entries per second rendered, how far the page fell behind, and main-thread long tasks over
 * 100 ms (target: none). Not a test: {@code ./mvnw -B -q -pl e2e -am verify -DskipTests -Pagent-page-benchmark}
 * ({@code -Dbench.entries=5000 -Dbench.rate=25 -Dbench.seconds=30}).
 */
public final class AgentPageBenchmark {
    private static final int ENTRIES = Integer.getInteger("bench.entries", 5000);
    private static final int RATE = Integer.getInteger("bench.rate", 25);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentPageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("truffles-agent-page-bench");
        TrufflesStack stack = TrufflesStack.on(data, Map.of("TRUFFLES_POLLER_INBOX_SAMPLES", "false"));
        try {
            Run up = stack.truffles("up");
            assertThat(up.exitCode()).as(up.describe()).isZero();
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + stack.port("EMBEDDED_MONGO_PORT"))) {
                MongoCollection<Document> agents = client.getDatabase("truffles").getCollection("agentSessions");
                ObjectId id = insertAgent(agents);
                measure(stack, agents, id);
            }
        } finally {
            stack.downQuietly();
        }
    }

    /** A coding agent (no runner claims it: the stack has no model key) with ENTRIES entries of stream-json. */
    private static ObjectId insertAgent(MongoCollection<Document> agents) throws Exception {
        ObjectId id = new ObjectId();
        Date now = new Date();
        List<Document> log = new ArrayList<>();
        for (int seq = 0; seq < ENTRIES; seq++) {
            log.add(entry(seq, new Date(now.getTime() - (ENTRIES - seq) * 40L)));
        }
        agents.insertOne(new Document("_id", id).append("issueId", new ObjectId()).append("status", "coding")
                .append("issueTitle", "Benchmark: a long-running agent").append("createdAt", now)
                .append("updatedAt", now).append("startedAt", new Date(now.getTime() - ENTRIES * 40L))
                .append("outputLog", log));
        return id;
    }

    /** The seq-th line: a tool call, its result, or a sentence, as the CLI prints them. */
    private static Document entry(int seq, Date at) throws Exception {
        String tool = "toolu_bench_" + (seq / 3);
        String content = switch (seq % 3) {
            case 0 -> JSON.writeValueAsString(Map.of("type", "assistant", "message", Map.of("id", "msg_" + seq,
                    "content", List.of(Map.of("type", "tool_use", "id", tool, "name", "Bash", "input",
                            Map.of("command", "grep -rn 'price' src/ | head -" + seq, "description", "look " + seq))),
                    "usage", Map.of("input_tokens", 1200, "output_tokens", 80))));
            case 1 -> JSON.writeValueAsString(Map.of("type", "user", "message", Map.of("role", "user", "content",
                    List.of(Map.of("type", "tool_result", "tool_use_id", tool, "is_error", seq % 20 == 1,
                            "content", ("src/cart.js:" + seq + ": const total = s + i.price;\n").repeat(6))))));
            default -> JSON.writeValueAsString(Map.of("type", "assistant", "message", Map.of("id", "msg_" + seq,
                    "content", List.of(Map.of("type", "text", "text",
                            "Step " + seq + ": the total ignores quantity; checking the next caller.")),
                    "usage", Map.of("input_tokens", 1300, "output_tokens", 40))));
        };
        return new Document("timestamp", at).append("phase", "coding").append("content", content);
    }

    private static void measure(TrufflesStack stack, MongoCollection<Document> agents, ObjectId id) throws Exception {
        try (Playwright playwright = DebianChromium.playwright()) {
            Browser browser = DebianChromium.launch(playwright);
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
            page.addInitScript("window.__longTasks = []; new PerformanceObserver(list => list.getEntries()"
                    + ".forEach(e => window.__longTasks.push({ at: e.startTime, ms: e.duration })))"
                    + ".observe({ type: 'longtask', buffered: true });");
            long opened = System.nanoTime();
            page.navigate(stack.api() + "/agents/" + id.toHexString());
            page.waitForFunction("n => +document.querySelector('.log')?.dataset.entries >= n", ENTRIES,
                    new Page.WaitForFunctionOptions().setTimeout(120_000).setPollingInterval(20));
            double firstMs = (System.nanoTime() - opened) / 1e6;
            List<Double> loadTasks = longTasks(page);
            page.evaluate("() => { window.__longTasks = []; }");

            // 25 entries a second from a writer of its own, in five writes a second of five entries each: the
            // embedded server rewrites the whole 5 MB document on every push, so one write per entry would measure
            // the server rather than the page
            AtomicInteger written = new AtomicInteger();
            long start = System.nanoTime();
            Thread writer = new Thread(() -> {
                int batches = SECONDS * 5;
                for (int batch = 0; batch < batches; batch++) {
                    long due = start + batch * 200_000_000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    List<Document> entries = new ArrayList<>();
                    for (int i = 0; i < RATE / 5; i++) {
                        try {
                            entries.add(entry(ENTRIES + written.get() + i, new Date()));
                        } catch (Exception impossible) {
                            throw new IllegalStateException(impossible);
                        }
                    }
                    agents.updateOne(eq("_id", id), Updates.combine(Updates.pushEach("outputLog", entries),
                            Updates.set("updatedAt", new Date())));
                    written.addAndGet(entries.size());
                }
            }, "bench-writer");
            writer.start();
            int maxBehind = 0;
            List<Integer> samples = new ArrayList<>();
            while (writer.isAlive()) {
                int shown = ((Number) page.evaluate("() => +document.querySelector('.log').dataset.entries"))
                        .intValue();
                maxBehind = Math.max(maxBehind, ENTRIES + written.get() - shown);
                samples.add(shown);
                page.waitForTimeout(100);
            }
            writer.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            int target = ENTRIES + written.get();
            long caughtUp = System.nanoTime();
            page.waitForFunction("n => +document.querySelector('.log').dataset.entries >= n", target,
                    new Page.WaitForFunctionOptions().setTimeout(60_000).setPollingInterval(20));
            double tailMs = (System.nanoTime() - caughtUp) / 1e6;
            List<Double> streamTasks = longTasks(page);

            // the person flings up through the whole log (600 px a frame, about 36,000 px a second) and jumps back
            page.evaluate("() => { window.__longTasks = []; }");
            page.evaluate("async () => { const log = document.querySelector('.log');"
                    + " for (let top = log.scrollHeight; top > 0; top -= 600) { log.scrollTop = top;"
                    + " await new Promise(r => requestAnimationFrame(r)); }"
                    + " document.querySelector('.jump-latest')?.click(); }");
            List<Double> scrollTasks = longTasks(page);
            int domRows = ((Number) page.evaluate("() => document.querySelectorAll('.log-row').length")).intValue();

            System.out.printf("%nAgent page benchmark: %,d entries in the log, then %d new a second for %.1f s%n",
                    ENTRIES, RATE, seconds);
            System.out.printf("  first render of all %,d entries: %.0f ms (long tasks meanwhile: %d over 100 ms, longest"
                    + " %.0f ms)%n", ENTRIES, firstMs, over(loadTasks, 100).size(), longest(loadTasks));
            System.out.printf("  streaming: %d written (%.1f/s), %.1f entries/s rendered, at most %d behind, the last one"
                    + " shown %.0f ms after the writes stopped%n", written.get(), written.get() / seconds,
                    (target - samples.get(0)) / (seconds + tailMs / 1000), maxBehind, tailMs);
            System.out.printf("  long tasks while streaming: %d over 100 ms, %d over 50 ms (longest %.0f ms)%n",
                    over(streamTasks, 100).size(), over(streamTasks, 50).size(), longest(streamTasks));
            System.out.printf("  scrolling the whole log up: %d over 100 ms (longest %.0f ms); rows in the DOM: %d%n%n",
                    over(scrollTasks, 100).size(), longest(scrollTasks), domRows);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Double> longTasks(Page page) {
        return ((List<Map<String, Object>>) page.evaluate("() => window.__longTasks")).stream()
                .map(task -> ((Number) task.get("ms")).doubleValue()).toList();
    }

    private static List<Double> over(List<Double> tasks, double ms) {
        return tasks.stream().filter(task -> task > ms).toList();
    }

    private static double longest(List<Double> tasks) {
        return tasks.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
