package io.truffles.e2e;

import static io.truffles.e2e.TrufflesStack.get;
import static io.truffles.e2e.TrufflesStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.truffles.e2e.TrufflesStack.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in Debian's Chromium against the stack {@code ./truffles up} starts (one start for every check): the
 * bundled sample recording (a checkout whose save fails with a 500 and whose coupon button is rage-clicked) becomes
 * the session every page is checked on. Screenshots go to {@code target/screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path data;

    private static TrufflesStack stack;
    private static Playwright playwright;
    private static Browser browser;
    private static Page page;
    private static String sessionId;
    private static double videoDuration;

    @BeforeAll
    static void upWithTheSampleRenderedAndABrowser() throws Exception {
        stack = TrufflesStack.on(data);
        Run up = stack.truffles("up");
        assertThat(up.exitCode()).as(up.describe()).isZero();
        assertThat(up.output()).contains("Dashboard: http://localhost:" + stack.ports.get("PORT") + "/");
        JsonNode sample = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                .until(() -> json(get(stack.api() + "/api/sessions?status=complete")).path("items"),
                        items -> items.size() > 0)
                .get(0);
        sessionId = sample.path("_id").asText();
        videoDuration = json(get(stack.api() + "/api/sessions/" + sessionId)).path("videoDuration").asDouble();
        Files.createDirectories(SCREENSHOTS);

        playwright = DebianChromium.playwright();
        browser = DebianChromium.launch(playwright);
        page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
    }

    @AfterAll
    static void closeAndDown() throws Exception {
        if (playwright != null) {
            playwright.close();
        }
        if (stack != null) {
            stack.downQuietly();
        }
    }

    @Test
    @Order(1)
    void theListShowsTheSessionCardWithAThumbnailThatLoads() {
        page.navigate(stack.api() + "/");
        Locator card = page.locator(".session-card").first();
        card.waitFor();
        assertThat(card.textContent()).contains("Complete").contains("red");
        Locator thumbnail = card.locator("img");
        page.waitForFunction("img => img.complete && img.naturalWidth > 0", thumbnail.elementHandle());
        assertThat((Integer) thumbnail.evaluate("img => img.naturalWidth")).isGreaterThan(0);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("sessions-list.png")));
    }

    @Test
    @Order(2)
    void aRecordingDroppedInTheInboxAppearsInTheOpenListWithoutAReload() throws Exception {
        page.navigate(stack.api() + "/");
        page.locator(".session-card").first().waitFor();
        int before = page.locator(".session-card").count();
        page.evaluate("() => { window.__sameDocument = true; }");

        Path recording = stack.home.resolve("analyzer/src/test/resources/recordings/problems.rrweb.json");
        Path part = stack.inbox().resolve(".dropped.part");
        Files.copy(recording, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, stack.inbox().resolve("dropped.rrweb.json"), StandardCopyOption.ATOMIC_MOVE);

        page.waitForFunction("n => document.querySelectorAll('.session-card').length > n", before,
                new Page.WaitForFunctionOptions().setTimeout(30_000));
        assertThat((Boolean) page.evaluate("() => window.__sameDocument === true")).as("no reload").isTrue();
    }

    @Test
    @Order(3)
    void theSessionPagePlaysItsVideo() {
        page.navigate(stack.api() + "/sessions/" + sessionId);
        page.waitForFunction("() => document.querySelector('video')?.readyState >= 1");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Play").setExact(true)).click();
        page.waitForFunction("() => document.querySelector('video').currentTime > 0.5",
                null, new Page.WaitForFunctionOptions().setTimeout(15_000));
        page.evaluate("() => document.querySelector('video').pause()");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("session-page.png")));
    }

    @Test
    @Order(4)
    void aLinkWithTOpensThePagePausedAtThatMoment() {
        double t = Math.min(4.0, Math.floor(videoDuration) - 1);
        page.navigate(stack.api() + "/sessions/" + sessionId + "?t=" + t);
        page.waitForFunction("() => document.querySelector('video')?.readyState >= 1");
        page.waitForFunction("t => Math.abs(document.querySelector('video').currentTime - t) <= 0.5", t);
        assertThat((Boolean) page.evaluate("() => document.querySelector('video').paused")).isTrue();

        page.navigate(stack.api() + "/sessions/" + sessionId + "?t=soon");
        page.getByText("is not a time").waitFor();
        page.waitForFunction("() => document.querySelector('video')?.readyState >= 1");
        assertThat(((Number) page.evaluate("() => document.querySelector('video').currentTime")).doubleValue())
                .isZero();
    }

    @Test
    @Order(5)
    void clickingAnIssueMarkerSeeksTwoSecondsBeforeItAndSelectsTheIssue() {
        page.navigate(stack.api() + "/sessions/" + sessionId);
        page.waitForFunction("() => document.querySelector('video')?.readyState >= 1");
        Locator marker = page.locator(".marker").last();
        double t = Double.parseDouble(marker.getAttribute("data-time"));
        assertThat(marker.getAttribute("aria-label")).contains(" at ");
        marker.click();
        double expected = Math.max(0, t - 2);
        page.waitForFunction("t => Math.abs(document.querySelector('video').currentTime - t) <= 0.3", expected);
        page.locator(".row-slot.selected").waitFor();
        assertThat(page.locator("[role=tab][aria-selected=true]").textContent()).startsWith("Issues");
    }

    @Test
    @Order(6)
    void playerKeysSeekAndShowTheirHelpAndTheSpeedIsRemembered() {
        page.navigate(stack.api() + "/sessions/" + sessionId + "?t=1");
        page.waitForFunction("() => Math.abs(document.querySelector('video')?.currentTime - 1) <= 0.5");
        page.locator("h1").click(); // focus on the page, not a control
        page.keyboard().press("ArrowRight");
        page.waitForFunction("t => Math.abs(document.querySelector('video').currentTime - t) <= 0.3",
                Math.min(6.0, videoDuration));
        page.keyboard().press("?");
        page.getByRole(com.microsoft.playwright.options.AriaRole.DIALOG).waitFor();
        page.keyboard().press("Escape");

        page.getByLabel("Speed").selectOption("2");
        page.reload();
        page.waitForFunction("() => document.querySelector('video')?.readyState >= 1");
        assertThat(page.getByLabel("Speed").inputValue()).isEqualTo("2");
        assertThat((String) page.evaluate("() => Object.keys(localStorage).join(',')"))
                .isEqualTo("truffles.playbackSpeed");
    }

    @Test
    @Order(7)
    void aReloadOnTheSessionPageShowsItAgain() {
        page.navigate(stack.api() + "/sessions/" + sessionId);
        page.locator("video").waitFor();
        page.reload();
        page.locator("h1").waitFor();
        page.waitForFunction("() => document.querySelector('video')?.readyState >= 1");
        assertThat(page.url()).endsWith("/sessions/" + sessionId);
    }

    @Test
    @Order(8)
    void at390PixelsTheVideoSitsAboveThePanelAndNothingScrollsSideways() {
        try (BrowserContext phone = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844)
                .setIsMobile(true).setHasTouch(true))) {
            Page small = phone.newPage();
            small.navigate(stack.api() + "/");
            small.locator(".session-card img").first().waitFor();
            small.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("sessions-390.png")));
            assertThat(((Number) small.evaluate("() => document.documentElement.scrollWidth")).intValue())
                    .isLessThanOrEqualTo(390);

            small.navigate(stack.api() + "/sessions/" + sessionId);
            small.waitForFunction("() => document.querySelector('video')?.readyState >= 1");
            small.locator(".side-panel").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
            BoundingBox video = small.locator("video").boundingBox();
            BoundingBox panel = small.locator(".side-panel").boundingBox();
            assertThat(video.width).isLessThanOrEqualTo(390);
            assertThat(video.y + video.height).isLessThanOrEqualTo(panel.y);
            assertThat(((Number) small.evaluate("() => document.documentElement.scrollWidth")).intValue())
                    .isLessThanOrEqualTo(390);
            small.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("session-390.png"))
                    .setFullPage(true));
        }
    }
}
