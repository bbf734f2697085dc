package io.truffles.renderer.encode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/** Reads frames back out of a rendered MP4 with ffmpeg and compares pictures, for the renderer's tests. */
final class FrameImages {
    private FrameImages() {
    }

    static BufferedImage frameAt(Path mp4, double seconds) throws IOException, InterruptedException {
        Process ffmpeg = new ProcessBuilder(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-ss",
                String.format(java.util.Locale.ROOT, "%.3f", seconds), "-i", mp4.toString(), "-frames:v", "1",
                "-f", "image2pipe", "-c:v", "png", "pipe:1"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] png = ffmpeg.getInputStream().readAllBytes();
        ffmpeg.waitFor(30, TimeUnit.SECONDS);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        if (image == null) {
            throw new IOException("ffmpeg gave no frame at " + seconds + " s of " + mp4);
        }
        return image;
    }

    /** Mean absolute difference of the RGB channels, 0 (same) to 255. */
    static double meanDifference(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new AssertionError("Sizes differ: " + a.getWidth() + "x" + a.getHeight() + " vs " + b.getWidth()
                    + "x" + b.getHeight());
        }
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                sum += Math.abs(((p >> 16) & 0xff) - ((q >> 16) & 0xff)) + Math.abs(((p >> 8) & 0xff) - ((q >> 8) & 0xff))
                        + Math.abs((p & 0xff) - (q & 0xff));
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
