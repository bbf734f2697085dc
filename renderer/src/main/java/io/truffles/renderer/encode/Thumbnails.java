package io.truffles.renderer.encode;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** The session's thumbnail: the first frame that shows a page rather than a blank viewport, made small. */
public final class Thumbnails {
    static final int WIDTH = 480;
    /** Luminance spread (0-255) below which a frame counts as blank. */
    static final int BLANK_SPREAD = 12;

    private Thumbnails() {
    }

    /** True when the frame has visible content: its sampled pixels differ by more than a flat page would. */
    public static boolean hasContent(byte[] jpeg) {
        BufferedImage image = decode(jpeg);
        int min = 255;
        int max = 0;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                int rgb = image.getRGB(x * image.getWidth() / 32, y * image.getHeight() / 24);
                int luminance = (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
                min = Math.min(min, luminance);
                max = Math.max(max, luminance);
            }
        }
        return max - min > BLANK_SPREAD;
    }

    public static byte[] thumbnail(byte[] frameJpeg) {
        BufferedImage frame = decode(frameJpeg);
        int width = Math.min(WIDTH, frame.getWidth());
        int height = Math.max(1, frame.getHeight() * width / frame.getWidth());
        BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = small.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(frame, 0, 0, width, height, null);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(small, "jpg", out);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return out.toByteArray();
    }

    static BufferedImage decode(byte[] jpeg) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (image == null) {
                throw new IllegalArgumentException("Not a JPEG frame");
            }
            return image;
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
