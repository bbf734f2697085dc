package io.truffles.e2e;

import static io.truffles.e2e.TrufflesStack.get;
import static io.truffles.e2e.TrufflesStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import io.truffles.e2e.TrufflesStack.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One stack for the dashboard's admin checks (IssuesBoardIT, SettingsIT): started as {@code ./truffles up} starts it,
 * with an admin password, once for every class that uses it (JUnit's root store closes it after the last), and the
 * bundled sample recording analysed, so there are issues to show. Starting the stack is the slow part of each class;
 * sharing it keeps the suite's time down.
 */
final class DashboardAdminStack implements ExtensionContext.Store.CloseableResource {
    static final String ADMIN_PASSWORD = "dashboard-admin-it-password";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    final TrufflesStack stack;
    /** The sample's session, once analysed. */
    final String sampleSessionId;

    private DashboardAdminStack(TrufflesStack stack, String sampleSessionId) {
        this.stack = stack;
        this.sampleSessionId = sampleSessionId;
    }

    static DashboardAdminStack in(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(DashboardAdminStack.class, key -> start(), DashboardAdminStack.class);
    }

    private static DashboardAdminStack start() {
        try {
            Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "dashboard-admin-");
            TrufflesStack stack = TrufflesStack.on(data, Map.of("ADMIN_PASSWORD", ADMIN_PASSWORD));
            Run up = stack.truffles("up");
            assertThat(up.exitCode()).as(up.describe()).isZero();
            JsonNode sample = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> json(get(stack.api() + "/api/sessions?status=complete")).path("items"),
                            items -> items.size() > 0)
                    .get(0);
            Files.createDirectories(SCREENSHOTS);
            return new DashboardAdminStack(stack, sample.path("_id").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String api() {
        return stack.api();
    }

    static Browser chromium(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of("/usr/bin/chromium")).setHeadless(true).setArgs(CHROMIUM_ARGS));
    }

    static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** An admin call as a script would make it: {@code Authorization: Bearer <ADMIN_PASSWORD>}. */
    HttpResponse<String> postAsAdmin(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api() + path))
                .header("Authorization", "Bearer " + ADMIN_PASSWORD).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws IOException {
        return json(get(api() + path));
    }

    JsonNode getJsonUnchecked(String path) {
        try {
            return getJson(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String body) throws IOException {
        return JSON.readTree(body);
    }

    @Override
    public void close() throws Exception {
        stack.downQuietly();
    }
}
