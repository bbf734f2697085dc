package io.truffles.renderer.job;

import static com.mongodb.client.model.Updates.set;

import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.error.UnrecoverableJobException;
import io.truffles.core.queue.JobContext;
import io.truffles.core.queue.JobHandler;
import io.truffles.core.queue.JobOutcome;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.renderer.encode.RenderedVideo;
import io.truffles.renderer.encode.VideoRenderer;
import io.truffles.renderer.replay.Recording;
import io.truffles.renderer.replay.RecordingException;
import io.truffles.renderer.replay.RenderOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * Renders one claimed session: reads its rrweb events from storage, renders the MP4 and thumbnail, uploads both
 * under the session's deterministic keys (a PUT is visible only once whole, so a killed render never leaves half a
 * video behind), and moves the session to {@code analyzing} with the video's keys, duration and timeline mapping.
 * A recording that cannot be replayed fails the session at once with the reason; anything else is retried.
 */
@ApplicationScoped
public class RenderJob implements JobHandler<Session> {
    private static final Logger LOG = Logger.getLogger(RenderJob.class);

    private final ObjectStorage storage;
    private final VideoRenderer renderer;
    private final RenderOptions options;

    RenderJob(ObjectStorage storage, VideoRenderer renderer, RenderOptions options) {
        this.storage = storage;
        this.renderer = renderer;
        this.options = options;
    }

    @Override
    public JobOutcome handle(JobContext<Session> job) throws Exception {
        Session session = job.document();
        String id = session.posthogSessionId;
        String eventsKey = session.rrwebEventsUrl != null ? session.rrwebEventsUrl : StorageKeys.rrwebEvents(id);
        if (!storage.exists(eventsKey)) {
            throw new UnrecoverableJobException("Session " + id + " has no rrweb events at " + eventsKey
                    + "; the poller must store them before the session can be rendered");
        }
        Recording recording;
        try {
            recording = Recording.parse(storage.read(eventsKey));
        } catch (RecordingException bad) {
            throw new UnrecoverableJobException("Session " + id + " cannot be rendered: " + bad.getMessage());
        }
        Path dir = StaleRenderFiles.newRenderDirectory(Path.of(System.getProperty("java.io.tmpdir")));
        try {
            RenderedVideo video;
            try {
                var rendering = RenderMeters.start();
                video = renderer.render(recording, options, dir.resolve("recording.mp4"), job::ensureLease);
                RenderMeters.rendered(rendering, video.sessionSeconds());
            } catch (RecordingException bad) {
                throw new UnrecoverableJobException("Session " + id + " cannot be rendered: " + bad.getMessage());
            }
            job.ensureLease();
            // Thumbnail first: the session points at neither until the finishing write below.
            storage.put(StorageKeys.thumbnail(id), video.thumbnailJpeg(), "image/jpeg");
            storage.put(StorageKeys.recording(id), video.mp4(), "video/mp4");
            LOG.infof("Rendered session %s: %.1f s of session in %.1f s of video, %d frames (%d captured)", id,
                    video.sessionSeconds(), video.timeline().videoSeconds(), video.frames(), video.captured());
            List<Document> timeline = new ArrayList<>();
            for (VideoTimelineSegment segment : video.timeline().segments()) {
                timeline.add(new Document("sessionStart", segment.sessionStart)
                        .append("sessionEnd", segment.sessionEnd)
                        .append("videoStart", segment.videoStart)
                        .append("videoEnd", segment.videoEnd)
                        .append("collapsed", segment.collapsed));
            }
            String warnings = video.warnings().isEmpty() ? null
                    : "Rendered with repairs: " + String.join("; ", video.warnings());
            return JobOutcome.moveTo(SessionStatus.analyzing,
                    set("videoUrl", StorageKeys.recording(id)),
                    set("thumbnailUrl", StorageKeys.thumbnail(id)),
                    set("duration", video.sessionSeconds()),
                    // the video's real length: whole frames, a 0-second session a one-second still
                    set("videoDuration", video.timeline().videoSeconds()),
                    set("videoTimeline", timeline),
                    set("lastError", warnings));
        } finally {
            // a leftover (a file we could not delete, a killed JVM's) is removed at the next start-up
            StaleRenderFiles.deleteTree(dir);
        }
    }
}
