package io.truffles.e2e;

import static io.truffles.e2e.DashboardAdminStack.SCREENSHOTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The settings page in Debian's Chromium against the stack {@code ./truffles up} starts: the password is checked by
 * the api before the forms show, a runtime change is applied live, a secret's replacement restarts the service that
 * reads it, and the password lives in sessionStorage only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SettingsIT {
    private static DashboardAdminStack admin;

    @RegisterExtension
    static final BeforeAllCallback SHARED_STACK = context -> admin = DashboardAdminStack.in(context);

    private static Playwright playwright;
    private static Page page;

    @BeforeAll
    static void aBrowser() {
        playwright = DashboardAdminStack.playwright();
        page = DashboardAdminStack.chromium(playwright)
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)).newPage();
    }

    @AfterAll
    static void close() {
        if (playwright != null) {
            playwright.close();
        }
    }

    private static Object held() {
        return page.evaluate("() => sessionStorage.getItem('truffles.adminPassword')");
    }

    @Test
    @Order(1)
    void aWrongPasswordIsRefusedOnThePromptAndNothingIsKept() {
        page.navigate(admin.api() + "/settings");
        page.getByLabel("Password").fill("guess-1234");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        page.getByRole(AriaRole.ALERT).getByText("Wrong admin password").waitFor();
        assertThat(page.getByText("Runtime settings").count()).isZero();
        assertThat(page.getByLabel("Password").inputValue()).isEqualTo("guess-1234");
        assertThat(held()).isNull();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("settings-login-refused.png")));
    }

    @Test
    @Order(2)
    void theRightPasswordShowsTheFormsAndIsKeptInSessionStorageOnly() {
        page.getByLabel("Password").fill(DashboardAdminStack.ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Runtime settings")).waitFor();
        assertThat(held()).isEqualTo(DashboardAdminStack.ADMIN_PASSWORD);
        assertThat((String) page.evaluate("() => JSON.stringify(Object.entries(localStorage))"))
                .doesNotContain(DashboardAdminStack.ADMIN_PASSWORD);
        assertThat(page.url()).doesNotContain(DashboardAdminStack.ADMIN_PASSWORD);
    }

    @Test
    @Order(3)
    void maxConcurrentAgentsIsCheckedAgainstTheApisLimitSavedAndAppliedLive() throws Exception {
        Locator field = page.locator("input[name=maxConcurrentAgents]");
        int max = admin.getJson("/api/settings").path("limits").path("numbers").path("maxConcurrentAgents")
                .path("max").asInt();
        field.fill(String.valueOf(max + 1));
        page.getByText("Max concurrent agents must be from 0 to " + max).waitFor();
        Locator save = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save").setExact(true));
        assertThat(save.isDisabled()).isTrue();

        int wanted = admin.getJson("/api/settings").path("runtime").path("maxConcurrentAgents").asInt() == 7 ? 6 : 7;
        field.fill(String.valueOf(wanted));
        save.click();
        page.getByRole(AriaRole.STATUS).getByText("Saved maxConcurrentAgents").waitFor();
        assertThat(admin.getJson("/api/settings").path("runtime").path("maxConcurrentAgents").asInt()).isEqualTo(wanted);
        page.evaluate("() => window.scrollTo(0, 0)"); // the sticky header at the top of the picture
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("settings.png")).setFullPage(true));
    }

    @Test
    @Order(4)
    void replacingASettingRestartsTheServiceThatReadsItAndSaysSoPerUnit() {
        Locator row = page.locator("tr[data-env=POSTHOG_HOST]");
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Replace POSTHOG_HOST")).click();
        row.getByLabel("New POSTHOG_HOST").fill("https://eu.posthog.com");
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
        Locator result = page.locator(".restart-result");
        result.waitFor(new Locator.WaitForOptions().setTimeout(120_000));
        assertThat(result.textContent()).contains("Saved POSTHOG_HOST").contains("truffles-poller: restarted");
        row.getByText("https://eu.posthog.com").waitFor();
        page.evaluate("() => window.scrollTo(0, 0)"); // the sticky header at the top of the picture
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("settings-restart.png"))
                .setFullPage(true));
    }

    @Test
    @Order(5)
    void logOutForgetsThePasswordAndAsksAgain() {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).waitFor();
        assertThat(held()).isNull();
        assertThat((Number) page.evaluate("() => sessionStorage.length")).isEqualTo(0);
    }
}
