package io.truffles.agentrunner.job;

import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.video.FrameGrabber;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Stills of the session's video around the moment, for the agent to look at: the MP4 is read from storage
 * into a temporary file and ffmpeg takes one JPEG a little before, at, and a little after the video time.
 * Frames are evidence, not a precondition: when there is no video or ffmpeg fails, the agent runs without them.
 */
public final class VideoFrames {
    private static final Logger LOG = Logger.getLogger(VideoFrames.class);
    /** Seconds relative to the timestamp: what led up to it, the moment, and what followed. */
    static final double[] OFFSETS = {-2, 0, 1};
    private static final double END_MARGIN = 0.25;

    private final ObjectStorage storage;
    private final FrameGrabber grabber;

    public VideoFrames(ObjectStorage storage, String ffmpeg) {
        this.storage = storage;
        this.grabber = new FrameGrabber(ffmpeg);
    }

    /**
     * Writes {@code frame-<seconds, 2 decimals>s.jpg} files into {@code folder} and answers their names (empty when there is no
     * video or no timestamp).
     *
     * @param videoKey         the storage key of the session's {@code recording.mp4}
     * @param timestampSeconds the time in that video
     * @param videoDuration    the video's length in seconds, when known (frames past the end are not asked for)
     */
    public List<String> write(String videoKey, Double timestampSeconds, Double videoDuration, Path folder) {
        if (videoKey == null || timestampSeconds == null) {
            return List.of();
        }
        Path video = null;
        try {
            video = Files.createTempFile("truffles-evidence-", ".mp4");
            try (InputStream in = storage.open(videoKey)) {
                Files.copy(in, video, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> names = new ArrayList<>();
            for (double offset : OFFSETS) {
                double at = Math.max(0, timestampSeconds + offset);
                // the last frame sits up to one frame interval before the end: stay clear of it
                if (videoDuration != null && at > videoDuration - END_MARGIN) {
                    at = Math.max(0, videoDuration - END_MARGIN);
                }
                String name = String.format(Locale.ROOT, "frame-%.2fs.jpg", at);
                if (names.contains(name)) {
                    continue;
                }
                if (extract(video, at, folder.resolve(name))) {
                    names.add(name);
                }
            }
            return names;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("No video frames for the agent (video %s): %s", videoKey, e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            if (video != null) {
                try {
                    Files.deleteIfExists(video);
                } catch (IOException ignored) {
                    // a temporary file: the system cleans it eventually
                }
            }
        }
    }

    private boolean extract(Path video, double at, Path frame) throws InterruptedException {
        try {
            grabber.grab(video, at, frame);
            return true;
        } catch (IOException noFrame) {
            LOG.warnf("%s; skipped", noFrame.getMessage());
            return false;
        }
    }
}
