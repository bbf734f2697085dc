package io.truffles.analyzer.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.FindingKind;
import io.truffles.analyzer.detect.Fingerprint;
import io.truffles.analyzer.models.CallShare;
import io.truffles.analyzer.models.FindingMerge;
import io.truffles.analyzer.models.Prompts;
import io.truffles.analyzer.openrouter.ModelCall;
import io.truffles.analyzer.openrouter.ModelCallException;
import io.truffles.analyzer.openrouter.ModelReply;
import io.truffles.analyzer.openrouter.OpenRouterClient;
import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Severity;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.json.JsonMapping;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.redaction.EvidenceBlock;
import io.truffles.core.video.FrameGrabber;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A video model watches a session: the MP4 as a base64 {@code video_url} part when the model takes video, sampled
 * frames as {@code image_url} parts when it takes only images. What it reports is in video time and is brought back
 * to session time (the renderer's timeline), then merged with what is already known.
 */
public class VideoModelAnalysis {
    private static final ObjectMapper JSON = JsonMapping.shared();
    /**
     * Above this the MP4 goes as frames even to a video model: base64 adds a third, and providers' request limits are
     * not documented (see api-report §2).
     */
    static final long MAX_INLINE_VIDEO_BYTES = 20L * 1024 * 1024;

    private final OpenRouterClient client;
    private final ObjectStorage storage;
    private final FrameGrabber frames;

    public VideoModelAnalysis(OpenRouterClient client, ObjectStorage storage, FrameGrabber frames) {
        this.client = client;
        this.storage = storage;
        this.frames = frames;
    }

    /**
     * @param findings what is known after this model: the earlier findings (some confirmed) and the model's new ones
     * @param input    what the model was shown: "video" or "N frames"
     */
    public record Result(List<Finding> findings, double costUsd, String input) {
    }

    public Result analyze(Session session, List<Finding> known, String model)
            throws ModelCallException, InterruptedException, IOException {
        Set<String> modalities = client.inputModalities(model).orElseThrow(() -> new ModelCallException(
                "OpenRouter does not list the video model " + model + "; check videoModelPrimary/Secondary",
                false, 0));
        byte[] mp4 = storage.read(session.videoUrl);
        boolean asVideo = modalities.contains("video") && mp4.length <= MAX_INLINE_VIDEO_BYTES;
        if (!asVideo && !modalities.contains("image")) {
            throw new ModelCallException(model + " takes neither video nor images (input modalities " + modalities
                    + ")", false, 0);
        }
        List<JsonNode> parts = new ArrayList<>();
        String input;
        ObjectNode text = JSON.createObjectNode().put("type", "text");
        parts.add(text);
        String evidence = EvidenceBlock.quote(evidence(session, known));
        if (asVideo) {
            input = "video";
            text.put("text", evidence + "\nThe recording follows as a video.");
            parts.add(JSON.createObjectNode().put("type", "video_url").set("video_url", JSON.createObjectNode()
                    .put("url", "data:video/mp4;base64," + Base64.getEncoder().encodeToString(mp4))));
        } else {
            List<FrameGrabber.Frame> sampled = frames.sample(mp4, videoDuration(session), FrameGrabber.MAX_FRAMES);
            input = sampled.size() + " frames";
            text.put("text", evidence + "\nThe recording follows as " + sampled.size() + " still frames, each after "
                    + "a line giving its time in the video.");
            for (FrameGrabber.Frame frame : sampled) {
                parts.add(JSON.createObjectNode().put("type", "text")
                        .put("text", String.format(Locale.ROOT, "Frame at %.1f s of the video:", frame.videoSeconds())));
                parts.add(JSON.createObjectNode().put("type", "image_url").set("image_url", JSON.createObjectNode()
                        .put("url", "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(frame.jpeg()))));
            }
        }
        ModelReply reply = client.complete(new ModelCall(model, Prompts.VIDEO_SYSTEM, parts, "session_video_issues",
                Prompts.issuesSchema()));
        return new Result(FindingMerge.merge(known, reported(session, reply, known.size())), reply.costUsd(), input);
    }

    /** The known findings, each at its video time, for the model to tie its own to. */
    public static ObjectNode evidence(Session session, List<Finding> known) {
        ObjectNode evidence = JSON.createObjectNode();
        if (session.videoDuration != null) {
            evidence.put("videoSeconds", session.videoDuration);
        }
        ArrayNode findings = evidence.putArray("knownFindings");
        for (int i = 0; i < known.size(); i++) {
            Finding finding = known.get(i);
            findings.addObject().put("id", "F" + (i + 1)).put("severity", finding.severity().name())
                    .put("videoSeconds", round(VideoTimelineSegment.videoTimeOf(session.videoTimeline,
                            finding.offsetSeconds())))
                    .put("title", finding.title())
                    .put("description", finding.description());
        }
        return evidence;
    }

    private static List<FindingMerge.Reported> reported(Session session, ModelReply reply, int knownCount) {
        JsonNode issues = reply.answer().path("issues");
        List<FindingMerge.Reported> reported = new ArrayList<>();
        for (int i = 0; i < issues.size(); i++) {
            JsonNode issue = issues.get(i);
            Finding.ModelNote note = CallShare.of(reply, Prompts.VIDEO_VERSION, issue.path("reasoning").asText(""), i,
                    issues.size());
            Severity severity = "red".equals(issue.path("severity").asText()) ? Severity.red : Severity.yellow;
            String title = issue.path("title").asText("Problem seen by " + reply.model());
            // the model watched the video; findings live in session time until the recorder places them
            double sessionSeconds = VideoTimelineSegment.sessionTimeOf(session.videoTimeline,
                    Math.max(0, issue.path("timestamp").asDouble(0)));
            Finding finding = new Finding(FindingKind.MODEL_REPORT, severity, title,
                    issue.path("description").asText(""), sessionSeconds, "", "",
                    Fingerprint.normalizeMessage(title).toLowerCase(Locale.ROOT), AnalysisSource.video, note);
            reported.add(new FindingMerge.Reported(finding, findingIndex(issue.path("sameAs").asText(""), knownCount)));
        }
        return reported;
    }

    private static double videoDuration(Session session) {
        if (session.videoDuration != null && session.videoDuration > 0) {
            return session.videoDuration;
        }
        return session.duration != null && session.duration > 0 ? session.duration : 60;
    }

    private static int findingIndex(String id, int count) {
        if (!id.matches("F\\d{1,6}")) {
            return -1;
        }
        int index = Integer.parseInt(id.substring(1)) - 1;
        return index < count ? index : -1;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
