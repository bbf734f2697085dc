package io.truffles.renderer.encode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg reading JPEG frames from a pipe (never from disk) and writing H.264 (yuv420p, moov atom first so browsers
 * start playing before the whole file arrives) to {@code output}.
 */
public final class FfmpegEncoder implements AutoCloseable {
    private final Process process;
    private final OutputStream frames;
    private final Path log;
    private boolean finished;

    private FfmpegEncoder(Process process, Path log) {
        this.process = process;
        this.frames = process.getOutputStream();
        this.log = log;
    }

    /**
     * @param width  the video's width (even); frames of another size (captured at a lower scale) are scaled to it
     * @param height the video's height (even)
     */
    public static FfmpegEncoder start(Path output, int fps, int width, int height) throws IOException {
        Path log = Files.createTempFile(output.getParent(), "ffmpeg", ".log");
        Process process = new ProcessBuilder(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
                "-f", "image2pipe", "-framerate", Integer.toString(fps), "-c:v", "mjpeg", "-i", "pipe:0",
                // Two threads: a render's encoder stays within its share of the machine and of memory.
                "-threads", "2", "-c:v", "libx264", "-preset", "veryfast", "-crf", "26", "-pix_fmt", "yuv420p",
                "-vf", "scale=" + width + ":" + height + ":flags=bicubic", "-r", Integer.toString(fps),
                "-movflags", "+faststart", "-y", output.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile())
                .start();
        return new FfmpegEncoder(process, log);
    }

    public long pid() {
        return process.pid();
    }

    public void write(byte[] jpeg) throws IOException {
        try {
            frames.write(jpeg);
        } catch (IOException broken) {
            throw new IOException("ffmpeg stopped taking frames: " + errors(), broken);
        }
    }

    /** Ends the stream and waits for the file to be complete. */
    public void finish() throws IOException, InterruptedException {
        frames.close();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("ffmpeg did not finish the video within 5 minutes");
        }
        finished = true;
        if (process.exitValue() != 0) {
            throw new IOException("ffmpeg failed (exit " + process.exitValue() + "): " + errors());
        }
    }

    private String errors() {
        try {
            String text = Files.readString(log).strip();
            return text.length() > 500 ? text.substring(text.length() - 500) : text;
        } catch (IOException unreadable) {
            return "(no ffmpeg log)";
        }
    }

    @Override
    public void close() {
        if (!finished) {
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
