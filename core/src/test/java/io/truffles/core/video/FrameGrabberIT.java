package io.truffles.core.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real ffmpeg on a four-second test pattern. */
class FrameGrabberIT {
    @TempDir
    static Path dir;
    static Path video;
    final FrameGrabber grabber = new FrameGrabber("ffmpeg");

    @BeforeAll
    static void aFourSecondVideo() throws Exception {
        video = dir.resolve("pattern.mp4");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=duration=4:size=320x240:rate=10", "-pix_fmt", "yuv420p", video.toString())
                .redirectErrorStream(true).start();
        ffmpeg.getInputStream().transferTo(System.out);
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).isZero();
    }

    @Test
    void framesAreSpreadOverTheVideoOneASecondAtLeastApart() throws Exception {
        List<FrameGrabber.Frame> frames = grabber.sample(Files.readAllBytes(video), 4, 16);

        assertThat(frames).extracting(FrameGrabber.Frame::videoSeconds).containsExactly(0.0, 1.0, 2.0, 3.0);
        assertThat(frames).allSatisfy(frame -> assertThat(frame.jpeg()).startsWith(0xFF, 0xD8));
    }

    @Test
    void theFrameAtAMomentIsAJpegAndNoneIsGivenPastTheEnd() throws Exception {
        Path jpeg = dir.resolve("at-2s.jpg");
        grabber.grab(video, 2.0, jpeg);

        assertThat(Files.readAllBytes(jpeg)).startsWith(0xFF, 0xD8);
        Path past = dir.resolve("past.jpg");
        assertThatThrownBy(() -> grabber.grab(video, 30.0, past)).isInstanceOf(IOException.class)
                .hasMessageContaining("at 30.0 s");
        assertThat(past).doesNotExist();
    }
}
