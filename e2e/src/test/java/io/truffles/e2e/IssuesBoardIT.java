package io.truffles.e2e;

import static io.truffles.e2e.DashboardAdminStack.SCREENSHOTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The issues board, an issue's page with its admin action, and the false alarms, in Debian's Chromium against the
 * stack {@code ./truffles up} starts, on the issues the bundled sample recording produced.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IssuesBoardIT {
    private static final Map<String, String> COLUMN_OF = Map.of("detected", "detected", "screening", "detected",
            "queued", "queued", "fixing", "fixing", "pr_open", "pr_open", "merged", "merged",
            "false_alarm", "closed", "fix_failed", "closed", "pr_closed", "closed");

    private static DashboardAdminStack admin;

    @RegisterExtension
    static final BeforeAllCallback SHARED_STACK = context -> admin = DashboardAdminStack.in(context);

    private static Playwright playwright;
    private static Browser browser;
    /** The board, left open (never reloaded) while the issue changes elsewhere. */
    private static Page board;
    private static JsonNode issue;

    @BeforeAll
    static void aBrowserAndAnIssueOfTheSample() throws Exception {
        // an issue still open, so marking it a false alarm moves its card
        issue = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                .until(() -> openIssue(admin.getJson("/api/issues?sort=recent").path("items")), found -> found != null);
        playwright = DashboardAdminStack.playwright();
        browser = DashboardAdminStack.chromium(playwright);
        board = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900)).newPage();
    }

    @AfterAll
    static void close() {
        if (playwright != null) {
            playwright.close();
        }
    }

    private static JsonNode openIssue(JsonNode items) {
        for (JsonNode item : items) {
            if (!COLUMN_OF.get(item.path("status").asText()).equals("closed")
                    && !item.path("latestOccurrence").isNull()) {
                return item;
            }
        }
        return null;
    }

    private static Locator card(Page page, String id) {
        return page.locator("[data-issue-id='" + id + "']");
    }

    @Test
    @Order(1)
    void theBoardShowsTheIssueInTheColumnOfItsStatusWithItsLatestSessionAtItsMoment() {
        board.navigate(admin.api() + "/issues");
        String id = issue.path("_id").asText();
        String status = admin.getJsonUnchecked("/api/issues/" + id).path("status").asText();
        Locator card = card(board, id);
        card.waitFor();
        assertThat(card.locator("xpath=ancestor::section[@data-column]").getAttribute("data-column"))
                .isEqualTo(COLUMN_OF.get(status));
        JsonNode latest = issue.path("latestOccurrence");
        Locator chip = card.locator(".time-chip");
        assertThat(chip.getAttribute("href"))
                .isEqualTo("/sessions/" + latest.path("sessionId").asText() + "?t="
                        + (long) Math.floor(latest.path("timestamp").asDouble()));
        Locator thumbnail = card.locator("img");
        board.waitForFunction("img => img.complete && img.naturalWidth > 0", thumbnail.elementHandle());
        board.evaluate("() => { window.__sameDocument = true; }");
        board.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("issues-board.png")));
    }

    @Test
    @Order(2)
    void markingAFalseAlarmOnTheIssuePageAsksForThePasswordRefusesAWrongOneAndMovesTheCardOnTheOpenBoard() {
        String id = issue.path("_id").asText();
        Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)).newPage();
        page.navigate(admin.api() + "/issues/" + id);
        page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)).waitFor();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Occurrences")).isVisible())
                .isTrue();
        // every occurrence the api holds is a row whose moment opens that session's video there
        JsonNode occurrences = admin.getJsonUnchecked("/api/issues/" + id).path("occurrences");
        assertThat(occurrences.size()).isPositive();
        Locator rows = page.locator("section[aria-labelledby=occurrences-title] tbody tr");
        assertThat(rows.count()).isEqualTo(occurrences.size());
        for (int i = 0; i < occurrences.size(); i++) {
            JsonNode occurrence = occurrences.get(i);
            assertThat(rows.nth(i).locator("a").last().getAttribute("href"))
                    .isEqualTo("/sessions/" + occurrence.path("sessionId").asText() + "?t="
                            + (long) Math.floor(occurrence.path("timestamp").asDouble()));
        }
        page.evaluate("() => window.scrollTo(0, 0)"); // the sticky header at the top of the picture
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("issue-page.png")).setFullPage(true));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark as false alarm")).click();
        page.getByLabel("Reason").fill("the sample's checkout is a demo");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark false alarm")).click();
        // no password held in this tab: the action asks for one
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.waitFor();
        dialog.getByLabel("Password").fill("not-the-password");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Continue")).click();
        dialog.getByRole(AriaRole.ALERT).getByText("Wrong admin password").waitFor();
        assertThat(dialog.getByLabel("Password").inputValue()).as("what was typed stays").isEqualTo("not-the-password");
        assertThat(page.evaluate("() => sessionStorage.getItem('truffles.adminPassword')")).isNull();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("admin-password-refused.png")));
        dialog.getByLabel("Password").fill(DashboardAdminStack.ADMIN_PASSWORD);
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Continue")).click();
        page.getByTestId("issue-status").getByText("False alarm").waitFor();
        assertThat(page.evaluate("() => sessionStorage.getItem('truffles.adminPassword')"))
                .isEqualTo(DashboardAdminStack.ADMIN_PASSWORD);
        assertThat((String) page.evaluate("() => JSON.stringify(Object.values(localStorage))"))
                .doesNotContain(DashboardAdminStack.ADMIN_PASSWORD);

        // the open board moves the card to "closed" by itself, within 5 s, with no reload
        card(board, id).locator("xpath=ancestor::section[@data-column='closed']")
                .waitFor(new Locator.WaitForOptions().setTimeout(5_000));
        assertThat((Boolean) board.evaluate("() => window.__sameDocument === true")).as("no reload").isTrue();
        board.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("issues-board-moved.png")));
        page.context().close();
    }

    @Test
    @Order(3)
    void theFalseAlarmsPageListsTheMarkedIssueAndAddsAndDeletesAPattern() throws Exception {
        String id = issue.path("_id").asText();
        Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage();
        page.navigate(admin.api() + "/false-alarms");
        Locator fromIssue = page.locator("tr", new Page.LocatorOptions()
                .setHas(page.locator("a[href='/issues/" + id + "']")));
        fromIssue.waitFor();
        assertThat(fromIssue.textContent()).contains("Manual").contains("the sample's checkout is a demo");

        String pattern = "404 on /favicon.ico from the e2e test";
        page.getByLabel("Pattern").fill(pattern);
        page.getByLabel("Reason").fill("browsers ask for it");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add").setExact(true)).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("Password").fill(DashboardAdminStack.ADMIN_PASSWORD);
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Continue")).click();
        Locator row = page.locator("tr", new Page.LocatorOptions().setHasText(pattern));
        row.waitFor();
        assertThat(patterns()).contains(pattern);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("false-alarms.png")));

        // the password is held now: deleting asks only for a confirmation
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete “" + pattern + "”")).click();
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Yes, delete")).click();
        row.waitFor(new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        assertThat(page.getByRole(AriaRole.DIALOG).count()).isZero();
        assertThat(patterns()).doesNotContain(pattern);
        page.context().close();
    }

    private static Set<String> patterns() throws Exception {
        Set<String> patterns = new java.util.HashSet<>();
        admin.getJson("/api/false-alarms").forEach(alarm -> patterns.add(alarm.path("pattern").asText()));
        return patterns;
    }
}
