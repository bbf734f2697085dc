package io.truffles.renderer.encode;

import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.renderer.replay.Recording;
import io.truffles.renderer.replay.RecordingException;
import io.truffles.renderer.replay.RenderOptions;
import io.truffles.renderer.replay.ReplayBrowser;
import io.truffles.renderer.replay.ReplayBrowsers;
import io.truffles.renderer.replay.ReplayPage;
import io.truffles.renderer.replay.VideoTimeline;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Renders a recording by stepping the replay clock frame by frame — never playing in real time — capturing the
 * viewport only when something visible changed and otherwise repeating the last picture, with long inactivity
 * collapsed to a marker of skipped time.
 */
public final class VideoRenderer {
    /** How often a long render checks in (lease, timeout) between frames. */
    private static final long CHECK_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

    private final ReplayBrowsers browsers;

    public VideoRenderer(ReplayBrowsers browsers) {
        this.browsers = browsers;
    }

    /** Called about once a second during a render; throw to stop it (e.g. the lease was lost). */
    @FunctionalInterface
    public interface Checkpoint {
        void check();
    }

    public RenderedVideo render(Recording recording, RenderOptions options, Path mp4, Checkpoint checkpoint)
            throws RecordingException, IOException, InterruptedException, TimeoutException {
        VideoTimeline activity = VideoTimeline.of(recording.offsetsMs(), options.idleThreshold(),
                options.idleMarker());
        long started = System.nanoTime();
        long deadline = started + options.timeoutFor(recording.durationMs()).toNanos();
        // Whole frames, and a 0-second recording still gets a one-second still picture; the timeline holds the last
        // picture to the video's real end, so videoDuration is what a player shows.
        int frames = Math.max(options.fps(), (int) Math.ceil(activity.videoSeconds() * options.fps() - 1e-6));
        VideoTimeline timeline = activity.heldTo((double) frames / options.fps());
        ReplayBrowser browser = browsers.borrow();
        boolean healthy = false;
        long openNanos = System.nanoTime();
        long advanceNanos = 0;
        long captureNanos = 0;
        long encodeNanos = 0;
        try (ReplayPage page = ReplayPage.open(browser.browser(), recording, options);
                FfmpegEncoder encoder = FfmpegEncoder.start(mp4, options.fps(), page.frameWidth(), page.frameHeight())) {
            openNanos = System.nanoTime() - openNanos;
            byte[] last = null;
            byte[] thumbnailFrame = null;
            int captured = 0;
            long nextCheck = started + CHECK_EVERY_NANOS;
            for (int i = 0; i < frames; i++) {
                double video = (double) i / options.fps();
                VideoTimelineSegment segment = timeline.segmentAtVideo(video);
                String marker = segment.collapsed ? markerText(segment) : null;
                long sessionMs = Math.round(timeline.sessionAt(video) * 1000);
                long t0 = System.nanoTime();
                boolean changed = page.advance(sessionMs, marker);
                long t1 = System.nanoTime();
                advanceNanos += t1 - t0;
                if (changed || last == null) {
                    last = page.captureJpeg();
                    captured++;
                    if (thumbnailFrame == null && marker == null && Thumbnails.hasContent(last)) {
                        thumbnailFrame = last;
                    }
                }
                long t2 = System.nanoTime();
                captureNanos += t2 - t1;
                encoder.write(last);
                long now = System.nanoTime();
                encodeNanos += now - t2;
                if (now >= nextCheck) {
                    nextCheck = now + CHECK_EVERY_NANOS;
                    checkpoint.check();
                    if (now > deadline) {
                        throw new TimeoutException("Rendering took longer than "
                                + options.timeoutFor(recording.durationMs()).toSeconds() + " s for a "
                                + recording.durationMs() / 1000 + " s session (frame " + i + " of " + frames + ")");
                    }
                }
            }
            long t3 = System.nanoTime();
            encoder.finish();
            encodeNanos += System.nanoTime() - t3;
            healthy = true;
            byte[] thumbnail = Thumbnails.thumbnail(thumbnailFrame != null ? thumbnailFrame : last);
            return new RenderedVideo(mp4, thumbnail, timeline, recording.durationMs() / 1000.0, page.frameWidth(),
                    page.frameHeight(), frames, captured, recording.warnings(),
                    new RenderedVideo.Phases(openNanos, advanceNanos, captureNanos, encodeNanos));
        } catch (RecordingException badRecording) {
            // the recording broke the replayer, not the browser: keep it warm for the next job
            healthy = browser.isConnected();
            throw badRecording;
        } finally {
            browsers.giveBack(browser, healthy);
        }
    }

    static String markerText(VideoTimelineSegment segment) {
        long seconds = Math.round(segment.sessionEnd - segment.sessionStart);
        String skipped = seconds >= 120 ? (seconds / 60) + " min " + (seconds % 60) + " s" : seconds + " s";
        return "\u23E9 " + skipped + " without activity skipped";
    }
}
