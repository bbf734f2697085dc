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
 */
public record RenderedVideo(Path mp4, byte[] thumbnailJpeg, VideoTimeline timeline, double sessionSeconds, int width,
        int height, int frames, int captured, List<String> warnings) {
}
