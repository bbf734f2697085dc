package io.truffles.analyzer.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Samples still frames of a session's video with ffmpeg, for models that take images but not video. Frames are JPEGs
 * at evenly spaced video times; the work happens in a temporary folder that is always removed afterwards.
 */
public final class FrameSampler {
    /** Enough to follow a session, few enough that every model accepts the request. */
    public static final int MAX_FRAMES = 16;
    private static final double MIN_INTERVAL_SECONDS = 1.0;
    private static final long FFMPEG_TIMEOUT_SECONDS = 120;

    /** One frame: where in the video it was taken and the JPEG. */
    public record Frame(double videoSeconds, byte[] jpeg) {
    }

    private final String ffmpeg;

    public FrameSampler(String ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /**
     * @param videoDuration the video's length in seconds (the renderer records it); frames are spread over it
     */
    public List<Frame> sample(byte[] mp4, double videoDuration, int maxFrames) throws IOException, InterruptedException {
        double interval = Math.max(MIN_INTERVAL_SECONDS, videoDuration / Math.max(1, maxFrames));
        Path work = Files.createTempDirectory("truffles-frames-");
        try {
            Path video = work.resolve("recording.mp4");
            Files.write(video, mp4);
            // fps=1/interval emits the frame nearest to 0, interval, 2·interval, …; 1280 px wide is plenty to read text
            Process process = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-i", video.toString(),
                    "-vf", String.format(Locale.ROOT, "fps=1/%.3f,scale='min(1280,iw)':-2", interval),
                    "-frames:v", Integer.toString(maxFrames), "-q:v", "4",
                    work.resolve("frame-%03d.jpg").toString())
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(FFMPEG_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("ffmpeg took longer than " + FFMPEG_TIMEOUT_SECONDS + " s to sample frames");
            }
            if (process.exitValue() != 0) {
                throw new IOException("ffmpeg could not sample frames (exit " + process.exitValue() + "): "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
            List<Path> files;
            try (Stream<Path> listed = Files.list(work)) {
                files = listed.filter(path -> path.getFileName().toString().startsWith("frame-"))
                        .sorted(Comparator.comparing(Path::toString)).toList();
            }
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                frames.add(new Frame(i * interval, Files.readAllBytes(files.get(i))));
            }
            return frames;
        } finally {
            try (Stream<Path> leftovers = Files.walk(work)) {
                for (Path path : leftovers.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
