package io.truffles.e2e;

import static com.mongodb.client.model.Filters.eq;
import static io.truffles.e2e.DashboardAdminStack.SCREENSHOTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.mongodb.client.MongoClient;
import com.sun.net.httpserver.HttpServer;
import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.IssueStatusChange;
import io.truffles.core.documents.Severity;
import io.truffles.core.issues.IssueStore;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoConnections;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The settings page's notifications in Debian's Chromium against the stack {@code ./truffles up} starts, with a real
 * webhook receiver on 127.0.0.1: a channel added on the page is shown masked, its test message arrives signed, a red
 * issue passing screening (core's own move, as the analyzer makes it) reaches the receiver once and shows in the
 * recent notifications as sent, and a deleted channel is gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotificationsSettingsIT {
    private static final String NAME = "e2e receiver";
    private static final String SECRET = "e2e-webhook-signing-secret-4821";

    private record Received(Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static DashboardAdminStack admin;

    @RegisterExtension
    static final BeforeAllCallback SHARED_STACK = context -> admin = DashboardAdminStack.in(context);

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;
    private static String receiverUrl;
    private static Playwright playwright;
    private static Page page;

    @BeforeAll
    static void aReceiverAndABrowser() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            RECEIVED.add(new Received(Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        playwright = DashboardAdminStack.playwright();
        page = DashboardAdminStack.chromium(playwright)
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)).newPage();
        page.navigate(admin.api() + "/settings");
        page.getByLabel("Password").fill(DashboardAdminStack.ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Notifications").setExact(true))
                .waitFor();
    }

    @AfterAll
    static void close() {
        if (playwright != null) {
            playwright.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** The channel's row (the recent notifications' rows name it too, once something was sent to it). */
    private static Locator row() {
        return page.locator("tr[data-channel]", new Page.LocatorOptions().setHasText(NAME));
    }

    /** The signature as a receiver checks it, written apart from the api's: HMAC-SHA256 of "timestamp.body". */
    private static String signature(Received request) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signed = request.header("X-Truffles-Timestamp") + "." + request.body();
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @Order(1)
    void aWebhookAddedOnThePageIsShownMaskedAndItsTestMessageArrivesSigned() throws Exception {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add channel")).click();
        page.getByLabel("Webhook (signed JSON)").check();
        page.getByLabel("Name (optional)").fill(NAME);
        page.getByLabel("URL", new Page.GetByLabelOptions().setExact(true)).fill(receiverUrl);
        page.getByLabel("Signing secret").fill(SECRET);
        page.getByLabel("New red issue").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add").setExact(true)).click();
        page.getByText("Added " + NAME).waitFor();
        row().waitFor();
        assertThat(page.content()).doesNotContain(receiverUrl).doesNotContain(SECRET);
        assertThat(row().textContent()).contains("••••" + SECRET.substring(SECRET.length() - 4)).contains("Active");

        row().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Send test message to " + NAME))
                .click();
        row().getByText("Test message delivered").waitFor(new Locator.WaitForOptions().setTimeout(30_000));

        Received test = RECEIVED.get(RECEIVED.size() - 1);
        assertThat(test.header("X-Truffles-Signature")).isEqualTo(signature(test));
        assertThat(test.header("X-Truffles-Delivery")).isNotBlank();
    }

    @Test
    @Order(2)
    void aRedIssuePassingScreeningReachesTheReceiverOnceAndShowsSent() throws Exception {
        String uri = "mongodb://127.0.0.1:" + admin.stack.port("EMBEDDED_MONGO_PORT") + "/truffles";
        ObjectId id = new ObjectId();
        try (MongoClient client = MongoConnections.connect(uri)) {
            Documents documents = MongoConnections.documents(client, uri);
            Issue issue = new Issue();
            issue.id = id;
            issue.title = "Checkout button does nothing (e2e)";
            issue.severity = Severity.red;
            issue.analysisSource = AnalysisSource.session_data;
            issue.fingerprint = "e2e-notifications-" + id;
            issue.status = IssueStatus.screening;
            issue.statusHistory = List.of(new IssueStatusChange(IssueStatus.screening, Instant.now()));
            issue.createdAt = Instant.now();
            issue.updatedAt = Instant.now();
            documents.issues().insertOne(issue);
            // the analyzer's own move: it files issue.red in the write that queues the issue
            assertThat(new IssueStore(documents, Clock.systemUTC()).passScreening(id, "e2e").moved()).isTrue();
            assertThat(documents.issues().find(eq("_id", id)).first().status).isEqualTo(IssueStatus.queued);
        }
        String key = "issue.red:" + id.toHexString();

        Received message = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> RECEIVED.stream().filter(r -> key.equals(r.header("X-Truffles-Delivery"))).findFirst()
                        .orElse(null), found -> found != null);

        assertThat(message.header("X-Truffles-Event")).isEqualTo("issue.red");
        assertThat(message.header("X-Truffles-Signature")).isEqualTo(signature(message));
        assertThat(DashboardAdminStack.parse(message.body()).path("issue").path("title").asText())
                .isEqualTo("Checkout button does nothing (e2e)");
        Locator sent = page.locator("tr", new Page.LocatorOptions().setHas(
                page.locator("a[href='/issues/" + id.toHexString() + "']")));
        sent.getByText(NAME + ": sent").waitFor(new Locator.WaitForOptions().setTimeout(30_000));
        assertThat(RECEIVED.stream().filter(r -> key.equals(r.header("X-Truffles-Delivery")))).hasSize(1);
        page.evaluate("() => document.getElementById('notifications-title').scrollIntoView()");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("settings-notifications.png")));
    }

    @Test
    @Order(3)
    void aChannelIsDeletedAfterTheConfirmationAndStaysGone() {
        row().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete " + NAME)).click();
        page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Confirm deleting " + NAME))
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete channel")).click();
        row().waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        page.reload();
        page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Recent notifications")).waitFor();
        assertThat(row().count()).isZero();
    }
}
