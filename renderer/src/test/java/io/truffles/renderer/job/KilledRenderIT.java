package io.truffles.renderer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.embedded.EmbeddedS3;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.core.testing.JavaProcess;
import io.truffles.core.testing.LocalS3;
import io.truffles.core.testing.QueueFixtures;
import io.truffles.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renderer SIGKILLed in the middle of a render: the next claim renders the session again, and only whole videos are ever stored. */
class KilledRenderIT {
    private static final String BUCKET = "truffles-kill";

    @TempDir
    Path dir;

    @Test
    void aRendererKilledMidRenderLeavesNoHalfVideoAndTheNextClaimRendersItWhole() throws Exception {
        try (TestDatabase db = TestDatabase.start();
                EmbeddedS3 s3 = EmbeddedS3.start(Files.createDirectories(dir.resolve("s3")), 0)) {
            ObjectStorage storage = LocalS3.storage(s3, BUCKET);
            Session session = QueueFixtures.pendingSession(Instant.now());
            String id = session.posthogSessionId;
            storage.put(StorageKeys.rrwebEvents(id), RenderStageIT.recording(), "application/json");
            db.documents().sessions().insertOne(session);

            List<ProcessHandle> orphans;
            try (JavaProcess first = JavaProcess.start(RenderWorkerProcess.class, db.uri(), s3.endpoint(), BUCKET,
                    "3000")) {
                first.awaitLine("CLAIMED " + id, 60);
                // Mid-render: ffmpeg is taking frames from the replay.
                await().atMost(Duration.ofMinutes(1)).until(() -> ProcessHandle.of(first.pid()).orElseThrow()
                        .descendants().anyMatch(process -> process.info().command().orElse("").endsWith("ffmpeg")));
                orphans = ProcessHandle.of(first.pid()).orElseThrow().descendants().toList();
                first.kill();
            }
            Session held = db.documents().sessions().find(Filters.eq("posthogSessionId", id)).first();
            assertThat(held.status).isEqualTo(SessionStatus.rendering);
            assertThat(held.videoUrl).isNull();
            assertThat(storage.exists(StorageKeys.recording(id))).as("no half-written video").isFalse();
            // The killed renderer's Chromium and ffmpeg do not outlive it.
            await().atMost(Duration.ofSeconds(30)).until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive));

            Session done;
            try (JavaProcess second = JavaProcess.start(RenderWorkerProcess.class, db.uri(), s3.endpoint(), BUCKET,
                    "3000")) {
                second.awaitLine("CLAIMED " + id + " attempt 2", 60);
                second.awaitLine("RENDERED " + id, 240);
                // the finishing write follows the handler's last line; the process must live until it lands
                done = await().atMost(Duration.ofSeconds(60)).until(
                        () -> db.documents().sessions().find(Filters.eq("posthogSessionId", id)).first(),
                        current -> current.status == SessionStatus.analyzing);
            }
            Path mp4 = dir.resolve("stored.mp4");
            Files.write(mp4, storage.read(done.videoUrl));
            Process ffprobe = new ProcessBuilder(List.of("ffprobe", "-v", "error", "-show_entries",
                    "format=duration:stream=codec_name", "-of", "json", mp4.toString())).start();
            JsonNode probe = new ObjectMapper().readTree(ffprobe.getInputStream());
            ffprobe.waitFor(30, TimeUnit.SECONDS);
            assertThat(probe.get("streams").get(0).get("codec_name").asText()).isEqualTo("h264");
            assertThat(probe.get("format").get("duration").asDouble())
                    .isCloseTo(done.videoDuration, org.assertj.core.data.Offset.offset(0.15));
        }
    }
}
