package io.truffles.e2e;

import static io.truffles.e2e.TrufflesStack.get;
import static io.truffles.e2e.TrufflesStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.truffles.e2e.TrufflesStack.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Prints how long the first sessions page takes to render in Chromium with 1,000 sessions on the embedded stack
 * (target: under 1 s). Not a test (no *IT name, so failsafe leaves it alone): the profile runs it after the reactor
 * has packaged every service, {@code ./mvnw -B -q -pl e2e -am verify -DskipTests -Pdashboard-benchmark}.
 */
public final class DashboardBenchmark {
    private static final int SESSIONS = Integer.getInteger("bench.sessions", 1000);
    private static final int LOADS = Integer.getInteger("bench.loads", 10);

    private DashboardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("truffles-dashboard-bench");
        TrufflesStack stack = TrufflesStack.on(data);
        try {
            Run up = stack.truffles("up");
            assertThat(up.exitCode()).as(up.describe()).isZero();
            String thumbnailKey = sampleThumbnailKey(stack);
            insertSessions(stack, thumbnailKey);
            measure(stack);
        } finally {
            stack.downQuietly();
        }
    }

    /** Waits for the bundled sample to be rendered and returns its thumbnail's S3 key, which every copy shows. */
    private static String sampleThumbnailKey(TrufflesStack stack) throws Exception {
        String id = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                .until(() -> json(get(stack.api() + "/api/sessions?status=complete")).path("items"),
                        items -> items.size() > 0)
                .get(0).path("_id").asText();
        try (MongoClient client = mongo(stack)) {
            return client.getDatabase("truffles").getCollection("sessions")
                    .find(new Document("_id", new ObjectId(id))).first().getString("thumbnailUrl");
        }
    }

    private static void insertSessions(TrufflesStack stack, String thumbnailKey) {
        try (MongoClient client = mongo(stack)) {
            MongoCollection<Document> sessions = client.getDatabase("truffles").getCollection("sessions");
            Instant now = Instant.now();
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                Instant created = now.minusSeconds(60L * i);
                List<Document> errors = new ArrayList<>();
                for (int e = 0; e < i % 4; e++) {
                    errors.add(new Document("message", "TypeError: x is undefined " + e)
                            .append("url", "https://shop.example.com/p/" + i).append("offsetSeconds", 3.0 + e));
                }
                batch.add(new Document("_id", new ObjectId())
                        .append("posthogSessionId", "bench-" + i)
                        .append("userId", "user-" + i).append("userEmail", "user" + i + "@example.com")
                        .append("startTime", Date.from(created.minusSeconds(300)))
                        .append("duration", 30.0 + i % 900)
                        .append("status", "complete")
                        .append("thumbnailUrl", thumbnailKey)
                        .append("issueCount", new Document("red", i % 3).append("yellow", i % 2))
                        .append("consoleErrors", errors).append("networkFailures", List.of())
                        .append("metadata", new Document("start_url", "https://shop.example.com/p/" + i))
                        .append("attempts", 0)
                        .append("createdAt", Date.from(created)).append("updatedAt", Date.from(created)));
                if (batch.size() == 200) {
                    sessions.insertMany(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                sessions.insertMany(batch);
            }
        }
    }

    private static void measure(TrufflesStack stack) {
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(Path.of("/usr/bin/chromium")).setHeadless(true)
                    .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run")));
            double[] rendered = new double[LOADS];
            double[] images = new double[LOADS];
            double[] listRequest = new double[LOADS];
            for (int i = 0; i < LOADS; i++) {
                // a fresh context each time: no cache, as a first visit
                Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
                page.navigate(stack.api() + "/");
                page.locator(".session-card").nth(11).waitFor();
                rendered[i] = ((Number) page.evaluate("() => performance.now()")).doubleValue();
                listRequest[i] = ((Number) page.evaluate("() => performance.getEntriesByType('resource')"
                        + ".find(entry => entry.name.includes('/api/sessions?')).duration")).doubleValue();
                page.waitForFunction("() => [...document.querySelectorAll('.session-card img')].slice(0, 8)"
                        + ".every(img => img.complete && img.naturalWidth > 0)");
                images[i] = ((Number) page.evaluate("() => performance.now()")).doubleValue();
                page.context().close();
            }
            Arrays.sort(rendered);
            Arrays.sort(images);
            Arrays.sort(listRequest);
            System.out.printf("%nDashboard benchmark: %d sessions on the embedded stack, %d cold loads of / in "
                    + "Chromium at 1280x800 (load average %s)%n", SESSIONS, LOADS, loadAverage());
            System.out.printf("  first page of cards rendered (navigation start -> 12 cards in the DOM): "
                    + "median %.0f ms, worst %.0f ms%n", rendered[LOADS / 2], rendered[LOADS - 1]);
            System.out.printf("  of which the list request (GET /api/sessions?limit=30): median %.0f ms, worst %.0f ms%n",
                    listRequest[LOADS / 2], listRequest[LOADS - 1]);
            System.out.printf("  first 8 thumbnails loaded: median %.0f ms, worst %.0f ms%n%n", images[LOADS / 2],
                    images[LOADS - 1]);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception unreadable) {
            return "?";
        }
    }

    private static MongoClient mongo(TrufflesStack stack) {
        return MongoClients.create("mongodb://127.0.0.1:" + stack.ports.get("EMBEDDED_MONGO_PORT"));
    }
}
