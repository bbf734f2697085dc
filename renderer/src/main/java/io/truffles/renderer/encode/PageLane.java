package io.truffles.renderer.encode;

import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.renderer.replay.Recording;
import io.truffles.renderer.replay.RecordingException;
import io.truffles.renderer.replay.RenderOptions;
import io.truffles.renderer.replay.ReplayBrowser;
import io.truffles.renderer.replay.ReplayBrowsers;
import io.truffles.renderer.replay.ReplayPage;
import io.truffles.renderer.replay.VideoTimeline;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One replay page, on a browser of its own and a thread of its own, rendering the frames the {@link FrameHandoff}
 * gives it — always later ones than its last, so it steps its replay clock forward only. A page repeats its own last
 * picture when nothing visible changed since its own last frame: with no event in between, every frame between the
 * two shows that picture too, whichever page rendered it.
 *
 * <p>The first lane of a render fails the render when it fails. A spare lane (a browser borrowed from a free render
 * slot) that cannot open just ends, and it retires — giving its browser back — as soon as another render wants one.
 */
final class PageLane {
    private static final Logger LOG = Logger.getLogger(PageLane.class);

    private final ReplayBrowser browser;
    private final ReplayBrowsers browsers;
    private final boolean spare;
    private final Recording recording;
    private final RenderOptions options;
    private final VideoTimeline timeline;
    private final FrameHandoff handoff;
    private final Thread thread;
    private volatile boolean healthy = true;
    private volatile long openNanos;
    private volatile long advanceNanos;
    private volatile long captureNanos;
    private volatile int captured;

    PageLane(int number, ReplayBrowser browser, ReplayBrowsers browsers, boolean spare, Recording recording,
            RenderOptions options, VideoTimeline timeline, FrameHandoff handoff) {
        this.browser = browser;
        this.browsers = browsers;
        this.spare = spare;
        this.recording = recording;
        this.options = options;
        this.timeline = timeline;
        this.handoff = handoff;
        this.thread = new Thread(this::run, Thread.currentThread().getName() + "-page-" + number);
        this.thread.setDaemon(true);
    }

    PageLane start() {
        thread.start();
        return this;
    }

    private void run() {
        boolean opened = false;
        try {
            long opening = System.nanoTime();
            try (ReplayPage page = ReplayPage.open(browser.browser(), recording, options)) {
                openNanos = System.nanoTime() - opening;
                opened = true;
                render(page);
            }
        } catch (RecordingException badRecording) {
            // the recording broke the replayer, not the browser: keep it warm for the next job
            healthy = browser.isConnected();
            handoff.fail(badRecording);
        } catch (InterruptedException stopped) {
            healthy = false;
        } catch (RuntimeException failed) {
            healthy = false;
            if (spare && !opened) {
                LOG.warnf("A spare replay page could not start (%s); the render goes on without it",
                        failed.getMessage());
            } else {
                handoff.fail(failed);
            }
        } finally {
            browsers.giveBack(browser, healthy);
        }
    }

    private void render(ReplayPage page) throws RecordingException, InterruptedException {
        BooleanSupplier retire = spare ? browsers::wanted : () -> false;
        byte[] last = null;
        int frame;
        while ((frame = handoff.next(retire)) >= 0) {
            double video = (double) frame / options.fps();
            VideoTimelineSegment segment = timeline.segmentAtVideo(video);
            String marker = segment.collapsed ? markerText(segment) : null;
            long t0 = System.nanoTime();
            boolean changed = page.advance(Math.round(timeline.sessionAt(video) * 1000), marker);
            long t1 = System.nanoTime();
            boolean fresh = changed || last == null;
            if (fresh) {
                last = page.captureJpeg();
                captured++;
            }
            advanceNanos += t1 - t0;
            captureNanos += System.nanoTime() - t1;
            handoff.put(frame, new FrameHandoff.Frame(last, fresh && marker == null));
        }
    }

    static String markerText(VideoTimelineSegment segment) {
        long seconds = Math.round(segment.sessionEnd - segment.sessionStart);
        String skipped = seconds >= 120 ? (seconds / 60) + " min " + (seconds % 60) + " s" : seconds + " s";
        return "\u23E9 " + skipped + " without activity skipped";
    }

    /**
     * Waits for the lane to end after the handoff stopped; a lane stuck in the browser that long has its browser
     * closed under it (it is given back as broken when its call fails).
     */
    void awaitEnd(long graceMs) throws InterruptedException {
        thread.join(graceMs);
        if (thread.isAlive()) {
            LOG.warnf("A replay page did not stop within %d ms; closing its browser", graceMs);
            healthy = false;
            try {
                browser.close();
            } catch (RuntimeException closing) {
                // the page's own call fails now, and the browser is given back as broken
            }
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    long openNanos() {
        return openNanos;
    }

    long advanceNanos() {
        return advanceNanos;
    }

    long captureNanos() {
        return captureNanos;
    }

    int captured() {
        return captured;
    }
}
