package io.truffles.renderer.replay;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * Warm browsers reused across renders, at most {@code capacity} alive at once (the live {@code rendererConcurrency}:
 * one per render slot, so the renderer's memory is bounded by its slots, not by how its renders use them).
 *
 * <p>A render {@linkplain #borrow() borrows} one browser for itself. While other slots are free, it may also take
 * {@linkplain #borrowSpare() spare} ones to render with several pages at once; it gives a spare back as soon as
 * another render {@linkplain #wanted() wants} a browser. A browser that crashed or broke during a render is closed
 * instead of returned, and a fresh one is launched when next needed.
 */
public final class ReplayBrowsers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReplayBrowsers.class);
    private final String chromium;
    private final int pageHeapMb;
    private final IntSupplier capacity;
    private final Deque<ReplayBrowser> idle = new ArrayDeque<>();
    private int alive;
    private int waiting;
    private boolean closed;

    /** @param capacity browsers allowed alive at once, read at every borrow (at least one is always allowed) */
    public ReplayBrowsers(String chromium, int pageHeapMb, IntSupplier capacity) {
        this.chromium = chromium;
        this.pageHeapMb = pageHeapMb;
        this.capacity = capacity;
    }

    /** A browser for a render of its own: an idle one, a new one while under capacity, or the next one given back. */
    public ReplayBrowser borrow() throws InterruptedException {
        synchronized (this) {
            waiting++;
            try {
                while (true) {
                    Optional<ReplayBrowser> taken = takeIdleOrReserve();
                    if (taken.isPresent()) {
                        return taken.get();
                    }
                    if (alive < limit()) {
                        alive++;
                        break;
                    }
                    wait();
                }
            } finally {
                waiting--;
            }
        }
        return launch();
    }

    /** A further browser for a render that already has one, only if no other render is waiting for a browser. */
    public Optional<ReplayBrowser> borrowSpare() {
        synchronized (this) {
            if (waiting > 0 || closed || alive - idle.size() >= limit()) {
                return Optional.empty();
            }
            Optional<ReplayBrowser> taken = takeIdleOrReserve();
            if (taken.isPresent()) {
                return taken;
            }
            if (alive >= limit()) {
                return Optional.empty();
            }
            alive++;
        }
        return Optional.of(launch());
    }

    /** Whether a render is waiting for a browser: renders holding spares give them back. */
    public synchronized boolean wanted() {
        return waiting > 0;
    }

    /** Browsers alive now, idle or borrowed. */
    public synchronized int alive() {
        return alive;
    }

    /** Browsers borrowed now. */
    public synchronized int inUse() {
        return alive - idle.size();
    }

    /** Returns a browser after a render; {@code healthy == false} closes it (crashed, timed out, broken). */
    public void giveBack(ReplayBrowser browser, boolean healthy) {
        boolean keep;
        synchronized (this) {
            keep = healthy && !closed && alive <= limit() && browser.isConnected();
            if (keep) {
                idle.addFirst(browser);
            } else {
                alive--;
            }
            notifyAll();
        }
        if (!keep) {
            browser.close();
        }
    }

    /** An idle browser that is still connected; disconnected ones found on the way are closed. */
    private Optional<ReplayBrowser> takeIdleOrReserve() {
        ReplayBrowser browser;
        while ((browser = idle.pollFirst()) != null) {
            if (browser.isConnected()) {
                return Optional.of(browser);
            }
            LOG.warn("A warm Chromium was no longer connected; launching a new one");
            alive--;
            browser.close();
        }
        return Optional.empty();
    }

    private int limit() {
        return Math.max(1, capacity.getAsInt());
    }

    /** Launches outside the lock (it takes a second or two); the slot was reserved by the caller. */
    private ReplayBrowser launch() {
        try {
            return ReplayBrowser.launch(chromium, pageHeapMb);
        } catch (RuntimeException failed) {
            synchronized (this) {
                alive--;
                notifyAll();
            }
            throw failed;
        }
    }

    @Override
    public void close() {
        Deque<ReplayBrowser> closing;
        synchronized (this) {
            closed = true;
            closing = new ArrayDeque<>(idle);
            alive -= idle.size();
            idle.clear();
            notifyAll();
        }
        closing.forEach(ReplayBrowser::close);
    }
}
