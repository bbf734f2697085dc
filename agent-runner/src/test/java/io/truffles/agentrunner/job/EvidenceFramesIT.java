package io.truffles.agentrunner.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Session;
import io.truffles.core.embedded.EmbeddedS3;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.core.testing.LocalS3;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stills of the session's video, from storage through the real ffmpeg, land in the agent's evidence folder. */
class EvidenceFramesIT {
    @TempDir
    Path dir;

    @Test
    void theEvidenceFolderHoldsStillsOfTheVideoAtTheIssuesTimestamp() throws Exception {
        // 2.5 s of red, then 2.5 s of blue: a still at 4.0 s is blue, one 2 s before it is red
        Path mp4 = dir.resolve("recording.mp4");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "color=c=red:s=160x120:d=2.5:r=10", "-f", "lavfi", "-i", "color=c=blue:s=160x120:d=2.5:r=10",
                "-filter_complex", "[0][1]concat=n=2:v=1:a=0", "-pix_fmt", "yuv420p", "-c:v", "libx264",
                mp4.toString()).inheritIO().start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0).isTrue();
        try (EmbeddedS3 s3 = EmbeddedS3.start(Files.createDirectories(dir.resolve("s3")), 0)) {
            ObjectStorage storage = LocalS3.storage(s3, "truffles-evidence");
            storage.ensureBucket();
            Session session = new Session();
            session.posthogSessionId = "s1";
            session.videoUrl = StorageKeys.recording("s1");
            session.videoDuration = 5.0;
            storage.put(session.videoUrl, mp4, "video/mp4");
            Issue issue = new Issue();
            issue.title = "Checkout button dead";
            issue.timestamp = 4.0;
            Path checkout = Files.createDirectories(dir.resolve("checkout"));

            Path folder = EvidenceFolder.write(checkout, issue, session, new VideoFrames(storage, "ffmpeg"));

            assertThat(folder).isEqualTo(checkout.resolve(EvidenceFolder.NAME));
            assertThat(blue(folder.resolve("frame-4.00s.jpg"))).as("the moment of the issue").isTrue();
            assertThat(blue(folder.resolve("frame-2.00s.jpg"))).as("two seconds before").isFalse();
            assertThat(folder.resolve("frame-4.75s.jpg")).as("after, clamped to the video's end").isRegularFile();
            assertThat(new ObjectMapper().readTree(folder.resolve("issue.json").toFile()).path("videoFrames")
                    .toString()).isEqualTo("[\"frame-2.00s.jpg\",\"frame-4.00s.jpg\",\"frame-4.75s.jpg\"]");
        }
    }

    @Test
    void aMissingVideoLeavesTheAgentWithoutFramesButWithItsEvidence() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(Files.createDirectories(dir.resolve("s3")), 0)) {
            ObjectStorage storage = LocalS3.storage(s3, "truffles-evidence");
            storage.ensureBucket();
            Session session = new Session();
            session.videoUrl = StorageKeys.recording("gone");
            Issue issue = new Issue();
            issue.title = "Checkout button dead";
            issue.timestamp = 4.0;

            Path folder = EvidenceFolder.write(dir, issue, session, new VideoFrames(storage, "ffmpeg"));

            try (var files = Files.list(folder)) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                        .isEqualTo(List.of("issue.json", "session.json"));
            }
        }
    }

    private static boolean blue(Path jpeg) throws Exception {
        assertThat(jpeg).isRegularFile();
        BufferedImage image = ImageIO.read(jpeg.toFile());
        int rgb = image.getRGB(image.getWidth() / 2, image.getHeight() / 2);
        return (rgb & 0xff) > 150 && ((rgb >> 16) & 0xff) < 100;
    }
}
