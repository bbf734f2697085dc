package io.truffles.renderer.replay;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One warm Chromium (the system's, never a downloaded one) with its Playwright driver. Playwright objects are not
 * thread-safe, so a browser serves one render at a time; {@link ReplayBrowsers} hands them out.
 */
public final class ReplayBrowser implements AutoCloseable {
    private final Playwright playwright;
    private final Browser browser;
    private boolean closed;

    private ReplayBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static ReplayBrowser launch(String chromium, int pageHeapMb) {
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(Path.of(chromium))
                    .setHeadless(true)
                    .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run",
                            "--disable-extensions", "--mute-audio", "--hide-scrollbars",
                            "--js-flags=--max-old-space-size=" + pageHeapMb)));
            return new ReplayBrowser(playwright, browser);
        } catch (RuntimeException failed) {
            playwright.close();
            throw failed;
        }
    }

    public Browser browser() {
        return browser;
    }

    public boolean isConnected() {
        try {
            return browser.isConnected();
        } catch (RuntimeException broken) {
            return false;
        }
    }

    /** Closes the browser and its driver; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            browser.close();
        } catch (RuntimeException alreadyGone) {
            // a crashed browser cannot be closed; closing the driver below ends what is left
        }
        playwright.close();
    }
}
