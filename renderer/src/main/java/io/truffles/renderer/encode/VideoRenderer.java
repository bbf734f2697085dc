package io.truffles.renderer.encode;

import io.truffles.renderer.replay.FrameSize;
import io.truffles.renderer.replay.Recording;
import io.truffles.renderer.replay.RecordingException;
import io.truffles.renderer.replay.RenderOptions;
import io.truffles.renderer.replay.ReplayBrowser;
import io.truffles.renderer.replay.ReplayBrowsers;
import io.truffles.renderer.replay.VideoTimeline;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Renders a recording by stepping the replay clock frame by frame — never playing in real time — capturing the
 * viewport only when something visible changed and otherwise repeating the last picture, with long inactivity
 * collapsed to a marker of skipped time.
 *
 * <p>A capture costs Chromium tens of milliseconds of one core, and one page captures one frame at a time; so while
 * other render slots are free a render takes their browsers too ({@link RenderOptions#lanes()} pages in all), each
 * page rendering the next frame not yet taken, and this thread writes their pictures to ffmpeg in video order.
 */
public final class VideoRenderer {
    /** How often a long render checks in (lease, timeout) while it waits for pictures. */
    private static final long CHECK_EVERY_MS = Duration.ofSeconds(1).toMillis();
    /** Opening a page loads the whole recording (a second or two): a short video is not worth a second page. */
    static final int MIN_FRAMES_PER_LANE = 60;
    /** Frames handed out ahead of the writer, per page. */
    private static final int AHEAD_PER_LANE = 2;
    /** How long a page may take to finish its frame once the render ends. */
    private static final long STOP_GRACE_MS = Duration.ofSeconds(20).toMillis();

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
        FrameSize size = FrameSize.of(recording, options);
        int lanesWanted = Math.max(1, Math.min(options.lanes(), frames / MIN_FRAMES_PER_LANE));
        FrameHandoff handoff = new FrameHandoff(frames, AHEAD_PER_LANE * lanesWanted);
        List<PageLane> lanes = new ArrayList<>();
        ReplayBrowser first = browsers.borrow();
        lanes.add(new PageLane(0, first, browsers, false, recording, options, timeline, handoff).start());
        while (lanes.size() < lanesWanted) {
            Optional<ReplayBrowser> spare = browsers.borrowSpare();
            if (spare.isEmpty()) {
                break;
            }
            lanes.add(new PageLane(lanes.size(), spare.get(), browsers, true, recording, options, timeline, handoff)
                    .start());
        }
        long encodeNanos = 0;
        try (FfmpegEncoder encoder = FfmpegEncoder.start(mp4, options.fps(), size.width(), size.height())) {
            byte[] last = null;
            byte[] thumbnailFrame = null;
            long nextCheck = System.nanoTime() + CHECK_EVERY_MS * 1_000_000;
            for (int i = 0; i < frames; i++) {
                FrameHandoff.Frame frame = null;
                while (frame == null) {
                    frame = take(handoff, i);
                    long now = System.nanoTime();
                    if (now >= nextCheck) {
                        nextCheck = now + CHECK_EVERY_MS * 1_000_000;
                        checkpoint.check();
                        if (now > deadline) {
                            throw new TimeoutException("Rendering took longer than "
                                    + options.timeoutFor(recording.durationMs()).toSeconds() + " s for a "
                                    + recording.durationMs() / 1000 + " s session (frame " + i + " of " + frames
                                    + ")");
                        }
                    }
                }
                last = frame.jpeg();
                if (thumbnailFrame == null && frame.thumbnailCandidate() && Thumbnails.hasContent(last)) {
                    thumbnailFrame = last;
                }
                long t0 = System.nanoTime();
                encoder.write(last);
                encodeNanos += System.nanoTime() - t0;
            }
            long t0 = System.nanoTime();
            encoder.finish();
            encodeNanos += System.nanoTime() - t0;
            byte[] thumbnail = Thumbnails.thumbnail(thumbnailFrame != null ? thumbnailFrame : last);
            stop(handoff, lanes);
            return new RenderedVideo(mp4, thumbnail, timeline, recording.durationMs() / 1000.0, size.width(),
                    size.height(), frames, lanes.stream().mapToInt(PageLane::captured).sum(), recording.warnings(),
                    lanes.size(), new RenderedVideo.Phases(
                            lanes.stream().mapToLong(PageLane::openNanos).max().orElse(0),
                            lanes.stream().mapToLong(PageLane::advanceNanos).sum(),
                            lanes.stream().mapToLong(PageLane::captureNanos).sum(), encodeNanos));
        } finally {
            stop(handoff, lanes);
        }
    }

    /** The picture of frame {@code i}, or {@code null} if not ready within a check interval; a page's failure. */
    private static FrameHandoff.Frame take(FrameHandoff handoff, int i)
            throws RecordingException, IOException, InterruptedException {
        try {
            return handoff.take(i, CHECK_EVERY_MS);
        } catch (RecordingException | RuntimeException | InterruptedException failed) {
            throw failed;
        } catch (Exception unexpected) {
            throw new IOException(unexpected);
        }
    }

    /** Ends the pages (each gives its browser back as it ends) before the render returns or fails. */
    private static void stop(FrameHandoff handoff, List<PageLane> lanes) throws InterruptedException {
        handoff.stop();
        for (PageLane lane : lanes) {
            lane.awaitEnd(STOP_GRACE_MS);
        }
    }
}
