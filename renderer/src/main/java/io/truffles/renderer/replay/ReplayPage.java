package io.truffles.renderer.replay;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.ServiceWorkerPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * rrweb's Replayer in a fresh browser context, on a page the renderer serves itself from an address that never
 * reaches the network. Every other request — the replayed page's images, fonts, scripts, XHR — is aborted, so replay
 * never fetches from the internet and shows what the recording carries (rrweb inlines stylesheets).
 */
public final class ReplayPage implements AutoCloseable {
    static final String ORIGIN = "http://replayer.truffles.invalid/";
    private static final Map<String, String> ASSETS = Map.of(
            "player.html", "text/html", "player.js", "text/javascript", "rrweb.min.js", "text/javascript",
            "rrweb.min.css", "text/css");

    private final BrowserContext context;
    private final Page page;
    private final CDPSession cdp;
    private final int frameWidth;
    private final int frameHeight;
    private final JsonObject captureArgs;

    private ReplayPage(BrowserContext context, Page page, CDPSession cdp, int jpegQuality, int frameWidth,
            int frameHeight, double captureScale) {
        this.context = context;
        this.page = page;
        this.cdp = cdp;
        this.frameWidth = frameWidth;
        this.frameHeight = frameHeight;
        captureArgs = new JsonObject();
        captureArgs.addProperty("format", "jpeg");
        captureArgs.addProperty("quality", jpegQuality);
        captureArgs.addProperty("optimizeForSpeed", true);
        if (captureScale < 1) {
            // A clip with a scale makes Chromium rasterize the picture at that size, not shrink a full-size one.
            JsonObject clip = new JsonObject();
            clip.addProperty("x", 0);
            clip.addProperty("y", 0);
            clip.addProperty("width", frameWidth);
            clip.addProperty("height", frameHeight);
            clip.addProperty("scale", captureScale);
            captureArgs.add("clip", clip);
        }
    }

    /** Opens the replayer on {@code recording}, scaled to fit the options' box, at the replay clock's start. */
    public static ReplayPage open(Browser browser, Recording recording, RenderOptions options)
            throws RecordingException {
        FrameSize size = FrameSize.of(recording, options);
        int width = size.width();
        int height = size.height();
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(width, height)
                .setDeviceScaleFactor(1)
                .setServiceWorkers(ServiceWorkerPolicy.BLOCK)
                .setOffline(false));
        try {
            byte[] events = recording.eventsJson();
            context.route("**/*", route -> serve(route, events));
            Page page = context.newPage();
            page.navigate(ORIGIN + "player.html");
            try {
                page.evaluate("([w, h, ow, oh]) => truffles.load(w, h, ow, oh)",
                        List.of(recording.width(), recording.height(), width, height));
            } catch (PlaywrightException replayerFailed) {
                throw new RecordingException("rrweb's replayer could not load the recording: "
                        + firstLine(replayerFailed.getMessage()), replayerFailed);
            }
            CDPSession cdp = context.newCDPSession(page);
            return new ReplayPage(context, page, cdp, options.jpegQuality(), width, height,
                    Math.max(0.25, Math.min(1, options.captureScale())));
        } catch (RecordingException | RuntimeException failed) {
            context.close();
            throw failed;
        }
    }

    private static void serve(Route route, byte[] events) {
        String url = route.request().url();
        if (!url.startsWith(ORIGIN)) {
            route.abort("blockedbyclient");
            return;
        }
        String name = url.substring(ORIGIN.length());
        if (name.equals("events.json")) {
            route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("application/json")
                    .setBodyBytes(events));
            return;
        }
        String type = ASSETS.get(name);
        if (type == null) {
            route.fulfill(new Route.FulfillOptions().setStatus(404));
            return;
        }
        try (InputStream in = ReplayPage.class.getResourceAsStream("/replayer/" + name)) {
            route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType(type)
                    .setBodyBytes(in.readAllBytes()));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    public int frameWidth() {
        return frameWidth;
    }

    public int frameHeight() {
        return frameHeight;
    }

    /** Moves the replay clock to {@code offsetMs} and shows {@code marker} (or none); true when the picture changed. */
    public boolean advance(long offsetMs, String marker) throws RecordingException {
        try {
            Object changed = page.evaluate("([t, m]) => truffles.frame(t, m)", java.util.Arrays.asList((double) offsetMs, marker));
            return Boolean.TRUE.equals(changed);
        } catch (PlaywrightException failed) {
            if (page.isClosed() || !context.browser().isConnected()) {
                throw failed;
            }
            throw new RecordingException("rrweb's replayer failed at " + offsetMs + " ms into the recording: "
                    + firstLine(failed.getMessage()), failed);
        }
    }

    /** Starts rrweb's own real-time playback (the benchmark's baseline; renders never do this). */
    public void playRealTime() {
        page.evaluate("() => truffles.playRealTime()");
    }

    /**
     * The viewport as a JPEG (at the capture scale: ffmpeg brings it to the frame size), through the DevTools protocol
     * with Chrome's fast capture path.
     */
    public byte[] captureJpeg() {
        JsonObject result = cdp.send("Page.captureScreenshot", captureArgs);
        return Base64.getDecoder().decode(result.get("data").getAsString());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String line = message.strip().lines().findFirst().orElse(message);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    @Override
    public void close() {
        try {
            context.close();
        } catch (RuntimeException browserGone) {
            // the browser crashed; ReplayBrowsers replaces it
        }
    }
}
