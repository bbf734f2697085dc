package io.truffles.renderer.encode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.renderer.replay.Recording;
import io.truffles.renderer.replay.RenderOptions;
import io.truffles.renderer.replay.ReplayBrowsers;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the real recording in src/test/resources/recordings (made by tools/rrweb-recorder, node record.mjs renderer, with rrweb's
 * recorder in Chromium; its 60 s idle gap was made by shifting later timestamps) with real Chromium and ffmpeg.
 */
class RecordingToVideoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RenderOptions AT_10_FPS = RenderOptions.defaults().withFps(10);
    private static ReplayBrowsers browsers;
    private static RenderedVideo video;
    private static RenderedVideo onePage;
    private static JsonNode moments;
    private static long[] rawTimestamps;
    @TempDir
    static Path dir;

    @BeforeAll
    static void render() throws Exception {
        byte[] events = resource("form-modal-idle.json");
        moments = JSON.readTree(resource("form-modal-idle.moments.json"));
        JsonNode raw = JSON.readTree(events);
        rawTimestamps = new long[raw.size()];
        for (int i = 0; i < raw.size(); i++) {
            rawTimestamps[i] = raw.get(i).get("timestamp").asLong();
        }
        // two render slots and nothing else rendering: the render uses two pages, as a lone render does in service
        browsers = new ReplayBrowsers("/usr/bin/chromium", 512, () -> 2);
        // 10 fps, not the default 5: the comparisons below then also hold at the smoother rate
        video = new VideoRenderer(browsers).render(Recording.parse(events), AT_10_FPS,
                dir.resolve("recording.mp4"), () -> { });
        onePage = new VideoRenderer(browsers).render(Recording.parse(events), AT_10_FPS.withLanes(1),
                dir.resolve("one-page.mp4"), () -> { });
    }

    @AfterAll
    static void closeBrowsers() {
        browsers.close();
    }

    @Test
    void ffprobeSeesH264AtTheFrameRateAndSizeLastingTheSessionMinusCollapsedIdle() throws Exception {
        Process ffprobe = new ProcessBuilder(List.of("ffprobe", "-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,width,height,r_frame_rate,pix_fmt:format=duration", "-of", "json",
                video.mp4().toString())).start();
        JsonNode probe = JSON.readTree(ffprobe.getInputStream());
        ffprobe.waitFor(30, TimeUnit.SECONDS);
        JsonNode stream = probe.get("streams").get(0);
        assertThat(stream.get("codec_name").asText()).isEqualTo("h264");
        assertThat(stream.get("pix_fmt").asText()).isEqualTo("yuv420p");
        assertThat(stream.get("r_frame_rate").asText()).isEqualTo("10/1");
        assertThat(stream.get("width").asInt()).isEqualTo(1280);
        assertThat(stream.get("height").asInt()).isEqualTo(720);

        // Worked out from the raw events, independently of the renderer: every gap over the 5 s idle threshold
        // shrinks to the 1.5 s marker.
        double sessionSeconds = (rawTimestamps[rawTimestamps.length - 1] - rawTimestamps[0]) / 1000.0;
        double collapsed = 0;
        for (int i = 1; i < rawTimestamps.length; i++) {
            double gap = (rawTimestamps[i] - rawTimestamps[i - 1]) / 1000.0;
            if (gap > 5) {
                collapsed += gap - 1.5;
            }
        }
        assertThat(collapsed).as("the recording's idle gap").isGreaterThan(59);
        double duration = probe.get("format").get("duration").asDouble();
        assertThat(duration).isCloseTo(sessionSeconds - collapsed, org.assertj.core.data.Offset.offset(0.15));
        // whole frames: the recorded videoDuration is the file's length, at most one frame past the exact figure
        assertThat(video.timeline().videoSeconds()).isBetween(sessionSeconds - collapsed - 0.001,
                sessionSeconds - collapsed + 0.1);
        assertThat(video.timeline().videoSeconds()).isCloseTo(duration, org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void framesAtThreeMomentsMatchScreenshotsOfTheOriginalPage() throws Exception {
        for (JsonNode moment : moments.get("moments")) {
            String name = moment.get("name").asText();
            double sessionSeconds = moment.get("offsetMs").asLong() / 1000.0;
            double videoSeconds = video.timeline().videoAt(sessionSeconds);
            BufferedImage frame = FrameImages.frameAt(video.mp4(), videoSeconds);
            BufferedImage original = ImageIO.read(new java.io.ByteArrayInputStream(
                    resource("form-modal-idle." + name + ".png")));
            // JPEG + H.264, the drawn cursor and the focus ring differ a little; a wrong moment (no modal,
            // unscrolled, missing text) differs by far more (see the test below).
            assertThat(FrameImages.meanDifference(frame, original)).as(name + " at video " + videoSeconds + " s")
                    .isLessThan(7.0);
        }
    }

    @Test
    void aWrongMomentDoesNotMatchSoTheComparisonCanFail() throws Exception {
        BufferedImage typedFrame = FrameImages.frameAt(video.mp4(), video.timeline().videoAt(
                moments.get("moments").get(0).get("offsetMs").asLong() / 1000.0));
        BufferedImage modal = ImageIO.read(new java.io.ByteArrayInputStream(resource("form-modal-idle.modal.png")));
        assertThat(FrameImages.meanDifference(typedFrame, modal)).isGreaterThan(14.0);
    }

    @Test
    void theThumbnailShowsThePageNotABlankViewport() throws Exception {
        BufferedImage thumbnail = ImageIO.read(new java.io.ByteArrayInputStream(video.thumbnailJpeg()));
        assertThat(thumbnail.getWidth()).isEqualTo(480);
        assertThat(Thumbnails.hasContent(video.thumbnailJpeg())).isTrue();
        // The page's dark header band sits at the top of the real page, not of a blank one.
        int header = thumbnail.getRGB(240, 8);
        assertThat((header >> 16) & 0xff).isLessThan(90);
    }

    @Test
    void twoPagesRenderingFramesInTurnMakeTheSameVideoAsOnePage() throws Exception {
        assertThat(video.pages()).isEqualTo(2);
        assertThat(onePage.pages()).isEqualTo(1);
        assertThat(video.frames()).isEqualTo(onePage.frames());
        assertThat(video.timeline().segments()).usingRecursiveComparison().isEqualTo(onePage.timeline().segments());
        for (double second = 0.25; second < video.timeline().videoSeconds(); second += 0.75) {
            assertThat(FrameImages.meanDifference(FrameImages.frameAt(video.mp4(), second),
                    FrameImages.frameAt(onePage.mp4(), second))).as("video second " + second).isLessThan(2.0);
        }
    }

    @Test
    void framesWithoutVisibleChangeAreNotCapturedAgain() {
        // The 1.5 s idle marker alone is 15 frames of one picture, and the recording has quiet moments besides.
        assertThat(video.captured()).isLessThan(video.frames() - 20);
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = RecordingToVideoIT.class.getResourceAsStream("/recordings/" + name)) {
            return in.readAllBytes();
        }
    }
}
