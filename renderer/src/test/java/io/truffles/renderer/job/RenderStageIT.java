package io.truffles.renderer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.mongo.Documents;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import io.truffles.core.testing.QueueFixtures;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The renderer service end to end: pending sessions in MongoDB and events in S3, real Chromium and ffmpeg. */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class RenderStageIT {
    @Inject
    Documents documents;
    @Inject
    ObjectStorage storage;

    @Test
    void aPendingSessionIsRenderedToVideoAndThumbnailAndMovesToAnalyzing() throws Exception {
        Session session = pending(recording());

        Session done = awaitStatus(session, SessionStatus.analyzing, Duration.ofMinutes(3));
        String id = session.posthogSessionId;
        assertThat(done.videoUrl).isEqualTo(StorageKeys.recording(id));
        assertThat(done.thumbnailUrl).isEqualTo(StorageKeys.thumbnail(id));
        assertThat(storage.size(done.videoUrl)).isGreaterThan(10_000);
        byte[] thumbnail = storage.read(done.thumbnailUrl);
        assertThat(thumbnail[0] & 0xff).isEqualTo(0xff);
        assertThat(thumbnail[1] & 0xff).isEqualTo(0xd8);
        assertThat(done.lease).isNull();
        assertThat(done.lastError).isNull();
        assertThat(done.duration).isCloseTo(72.3, org.assertj.core.data.Offset.offset(0.5));
        assertThat(done.videoDuration).isLessThan(done.duration - 55);
        assertThat(done.videoTimeline).anySatisfy(segment -> {
            assertThat(segment.collapsed).isTrue();
            assertThat(segment.sessionEnd - segment.sessionStart).isGreaterThan(60);
        });
        VideoTimelineSegment last = done.videoTimeline.get(done.videoTimeline.size() - 1);
        assertThat(last.sessionEnd).isCloseTo(done.duration, org.assertj.core.data.Offset.offset(0.01));
        assertThat(last.videoEnd).isCloseTo(done.videoDuration, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aRecordingWithoutFullSnapshotFailsThatSessionWithTheReason() throws Exception {
        String events = "[{\"type\":4,\"data\":{\"href\":\"http://x.test/\",\"width\":800,\"height\":600},"
                + "\"timestamp\":1000},{\"type\":3,\"data\":{\"source\":1,\"positions\":[]},\"timestamp\":2000}]";
        Session session = pending(events.getBytes(StandardCharsets.UTF_8));

        Session failed = awaitStatus(session, SessionStatus.failed, Duration.ofMinutes(1));
        assertThat(failed.lastError).contains(session.posthogSessionId).contains("no FullSnapshot");
        assertThat(storage.exists(StorageKeys.recording(session.posthogSessionId))).isFalse();
    }

    @Test
    void eventsThatAreNotJsonFailThatSessionAndTheWorkerGoesOn() throws Exception {
        Session broken = pending("{not json".getBytes(StandardCharsets.UTF_8));
        Session failed = awaitStatus(broken, SessionStatus.failed, Duration.ofMinutes(1));
        assertThat(failed.lastError).contains("not valid JSON");

        // a 0-second recording after it: the worker is still there, and renders a still picture
        String still = "[{\"type\":4,\"data\":{\"href\":\"http://x.test/\",\"width\":640,\"height\":480},"
                + "\"timestamp\":5000},{\"type\":2,\"data\":{\"node\":{\"type\":0,\"childNodes\":[{\"type\":2,"
                + "\"tagName\":\"html\",\"attributes\":{},\"childNodes\":[{\"type\":2,\"tagName\":\"body\","
                + "\"attributes\":{\"style\":\"background:#123\"},\"childNodes\":[{\"type\":3,\"textContent\":"
                + "\"hello\",\"id\":4}],\"id\":3}],\"id\":2}],\"id\":1},\"initialOffset\":{\"left\":0,\"top\":0}},"
                + "\"timestamp\":5000}]";
        Session zero = pending(still.getBytes(StandardCharsets.UTF_8));
        Session rendered = awaitStatus(zero, SessionStatus.analyzing, Duration.ofMinutes(2));
        assertThat(rendered.lastError).contains("0 seconds");
        // the video is a one-second still, and videoDuration says so
        assertThat(rendered.videoDuration).isEqualTo(1.0);
        assertThat(rendered.videoTimeline.get(rendered.videoTimeline.size() - 1).videoEnd).isEqualTo(1.0);
        assertThat(storage.size(rendered.videoUrl)).isGreaterThan(0);
    }

    private Session pending(byte[] events) {
        Session session = QueueFixtures.pendingSession(Instant.now());
        storage.put(StorageKeys.rrwebEvents(session.posthogSessionId), events, "application/json");
        documents.sessions().insertOne(session);
        return session;
    }

    private Session awaitStatus(Session session, SessionStatus status, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(
                () -> documents.sessions().find(Filters.eq("posthogSessionId", session.posthogSessionId)).first(),
                current -> current != null && current.status == status);
    }

    static byte[] recording() throws Exception {
        try (InputStream in = RenderStageIT.class.getResourceAsStream("/recordings/form-modal-idle.json")) {
            return in.readAllBytes();
        }
    }
}
