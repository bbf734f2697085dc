package io.truffles.renderer.replay;

/** The video's picture size: the recording's viewport scaled to fit the options' box, aspect kept. */
public record FrameSize(int width, int height) {

    public static FrameSize of(Recording recording, RenderOptions options) {
        double scale = Math.min((double) options.maxWidth() / recording.width(),
                (double) options.maxHeight() / recording.height());
        // H.264 in yuv420p needs even sizes.
        return new FrameSize(Math.max(2, (int) Math.round(recording.width() * scale) & ~1),
                Math.max(2, (int) Math.round(recording.height() * scale) & ~1));
    }
}
