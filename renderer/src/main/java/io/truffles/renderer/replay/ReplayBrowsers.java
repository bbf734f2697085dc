package io.truffles.renderer.replay;

import java.util.concurrent.ConcurrentLinkedDeque;
import org.jboss.logging.Logger;

/**
 * Warm browsers reused across renders: a render borrows one (launching one when none is idle) and gives it back; a
 * browser that crashed or broke during a render is closed instead, and the next render launches a fresh one.
 */
public final class ReplayBrowsers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReplayBrowsers.class);
    private final String chromium;
    private final int pageHeapMb;
    private final ConcurrentLinkedDeque<ReplayBrowser> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    public ReplayBrowsers(String chromium, int pageHeapMb) {
        this.chromium = chromium;
        this.pageHeapMb = pageHeapMb;
    }

    public ReplayBrowser borrow() {
        ReplayBrowser browser;
        while ((browser = idle.pollFirst()) != null) {
            if (browser.isConnected()) {
                return browser;
            }
            LOG.warn("A warm Chromium was no longer connected; launching a new one");
            browser.close();
        }
        return ReplayBrowser.launch(chromium, pageHeapMb);
    }

    /** Returns a browser after a render; {@code healthy == false} closes it (crashed, timed out, broken). */
    public void giveBack(ReplayBrowser browser, boolean healthy) {
        if (healthy && !closed && browser.isConnected()) {
            idle.addFirst(browser);
        } else {
            browser.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        ReplayBrowser browser;
        while ((browser = idle.pollFirst()) != null) {
            browser.close();
        }
    }
}
