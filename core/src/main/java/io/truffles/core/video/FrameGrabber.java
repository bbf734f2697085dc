package io.truffles.core.video;

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
 * Still frames of a session's video, as JPEGs, with ffmpeg: evenly spaced over the whole video ({@link #sample}, for
 * models that take images but not video), or the one shown at a given moment ({@link #grab}, the agent's evidence).
 */
public final class FrameGrabber {
    /** Enough to follow a session, few enough that every model accepts the request. */
    public static final int MAX_FRAMES = 16;
    private static final double MIN_INTERVAL_SECONDS = 1.0;
    private static final long FFMPEG_TIMEOUT_SECONDS = 120;
    private static final long ONE_FRAME_TIMEOUT_SECONDS = 60;

    /** One frame: where in the video it was taken and the JPEG. */
    public record Frame(double videoSeconds, byte[] jpeg) {
    }

    private final String ffmpeg;

    public FrameGrabber(String ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /**
     * Frames at evenly spaced video times; the work happens in a temporary folder that is always removed afterwards.
     *
     * @param videoDuration the video's length in seconds (the renderer records it); frames are spread over it
     */
    public List<Frame> sample(byte[] mp4, double videoDuration, int maxFrames) throws IOException, InterruptedException {
        double interval = Math.max(MIN_INTERVAL_SECONDS, videoDuration / Math.max(1, maxFrames));
        Path work = Files.createTempDirectory("truffles-frames-");
        try {
            Path video = work.resolve("recording.mp4");
            Files.write(video, mp4);
            // fps=1/interval emits the frame nearest to 0, interval, 2·interval, …; 1280 px wide is plenty to read text
            run(FFMPEG_TIMEOUT_SECONDS, "sample frames", "-i", video.toString(),
                    "-vf", String.format(Locale.ROOT, "fps=1/%.3f,scale='min(1280,iw)':-2", interval),
                    "-frames:v", Integer.toString(maxFrames), "-q:v", "4",
                    work.resolve("frame-%03d.jpg").toString());
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

    /** Writes the frame shown at {@code seconds} into {@code jpeg}; fails when ffmpeg gives none (past the end). */
    public void grab(Path video, double seconds, Path jpeg) throws IOException, InterruptedException {
        // -ss before -i seeks on the input, so the frame is the one shown at that time, without decoding from the start
        run(ONE_FRAME_TIMEOUT_SECONDS, String.format(Locale.ROOT, "take a frame at %.1f s", seconds), "-y",
                "-ss", String.format(Locale.ROOT, "%.3f", seconds), "-i", video.toString(),
                "-frames:v", "1", "-q:v", "3", jpeg.toString());
        if (!Files.isRegularFile(jpeg) || Files.size(jpeg) == 0) {
            Files.deleteIfExists(jpeg);
            throw new IOException(String.format(Locale.ROOT, "ffmpeg gave no frame at %.1f s", seconds));
        }
    }

    private void run(long timeoutSeconds, String what, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-v", "error"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("ffmpeg took longer than " + timeoutSeconds + " s to " + what);
        }
        if (process.exitValue() != 0) {
            throw new IOException("ffmpeg could not " + what + " (exit " + process.exitValue() + "): "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
    }
}
