package io.truffles.renderer.encode;

import io.truffles.renderer.replay.VideoTimeline;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished render: the MP4 on local disk (uploaded whole afterwards), the thumbnail, and the figures the benchmark
 * and the session need.
 *
 * @param frames    frames in the video
 * @param captured  frames actually captured from the browser (the rest repeat the previous picture)
 * @param warnings  what was repaired in the recording, for the session's {@code lastError}
 * @param pages     replay pages (each on its own browser) that rendered it
 * @param phases    where the render's time went
 */
public record RenderedVideo(Path mp4, byte[] thumbnailJpeg, VideoTimeline timeline, double sessionSeconds, int width,
        int height, int frames, int captured, List<String> warnings, int pages, Phases phases) {

    /**
     * Time spent opening the pages (the slowest), stepping the replayer and capturing pictures (summed over the
     * pages, which work at once), and handing frames to ffmpeg (incl. its finish).
     */
    public record Phases(long openNanos, long advanceNanos, long captureNanos, long encodeNanos) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "open %.1f s, advance %.1f s, capture %.1f s, encode %.1f s",
                    openNanos / 1e9, advanceNanos / 1e9, captureNanos / 1e9, encodeNanos / 1e9);
        }
    }
}
