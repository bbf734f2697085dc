package io.truffles.analyzer.job;

import com.mongodb.client.model.Updates;
import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.RecordingScan;
import io.truffles.analyzer.incident.IncidentGrouping;
import io.truffles.analyzer.issues.IssueRecorder;
import io.truffles.analyzer.models.TextModelAnalysis;
import io.truffles.analyzer.openrouter.ModelCallException;
import io.truffles.analyzer.openrouter.OpenRouterClient;
import io.truffles.analyzer.video.VideoModelAnalysis;
import io.truffles.analyzer.video.VideoSessionPolicy;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueCount;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Settings;
import io.truffles.core.documents.Severity;
import io.truffles.core.documents.VideoDecision;
import io.truffles.core.error.UnrecoverableJobException;
import io.truffles.core.queue.JobContext;
import io.truffles.core.queue.JobHandler;
import io.truffles.core.queue.JobOutcome;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.spend.BudgetHold;
import io.truffles.core.spend.SpendKind;
import io.truffles.core.spend.SpendLedger;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.video.FrameGrabber;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The analyzer's stage: runs the deterministic detectors over a rendered session, then (with a key and budget) the
 * text model and, where {@code videoSessions} says so, the video models, records what they find as issues, and
 * completes the session with its issue counts. A model that cannot be used or fails leaves the detectors' findings
 * and says why on the session. With a spending cap reached before it starts the session is not analysed at all: it
 * waits in {@code analyzing} with the reason, for the next period or a raised cap, so no session goes without its
 * models because of the day it arrived on. One that crosses the cap mid-way keeps what its calls so far found and
 * skips the rest (the budget is checked before every video call), rather than paying for them again later.
 */
public final class AnalyzeJob implements JobHandler<Session> {
    private final ObjectStorage storage;
    private final IssueRecorder issues;
    private final LiveSettings settings;
    private final OpenRouterClient models;
    private final TextModelAnalysis textModel;
    private final SpendLedger spend;
    private final VideoModelAnalysis videoModel;
    private final long hungAfterMs;

    public AnalyzeJob(ObjectStorage storage, IssueRecorder issues, LiveSettings settings, OpenRouterClient models,
            SpendLedger spend, FrameGrabber frames) {
        this(storage, issues, settings, models, spend, frames, RecordingScan.DEFAULT_HUNG_AFTER_MS);
    }

    /** @param hungAfterMs how long a loading indicator may stay after an action before it is a hung loading state */
    public AnalyzeJob(ObjectStorage storage, IssueRecorder issues, LiveSettings settings, OpenRouterClient models,
            SpendLedger spend, FrameGrabber frames, long hungAfterMs) {
        this.hungAfterMs = hungAfterMs;
        this.storage = storage;
        this.issues = issues;
        this.settings = settings;
        this.models = models;
        this.textModel = new TextModelAnalysis(models);
        this.videoModel = new VideoModelAnalysis(models, storage, frames);
        this.spend = spend;
    }

    @Override
    public JobOutcome handle(JobContext<Session> job) throws IOException, InterruptedException {
        Session session = job.document();
        Settings current = settings.current();
        Optional<BudgetHold> hold = modelsWouldRun(current) ? spend.hold(SpendKind.models, current) : Optional.empty();
        if (hold.isPresent()) {
            return JobOutcome.waitUntil(hold.get().resumesAt(), hold.get().reason());
        }
        // the signals of one user action are one incident; signals no action explains stay findings of their own
        List<Finding> findings = new ArrayList<>(IncidentGrouping.group(session, scanRecording(session)));
        List<String> skipped = new ArrayList<>();
        VideoDecision[] video = {null};
        Optional<String> unavailable = modelsUnavailable(current);
        if (unavailable.isPresent()) {
            skipped.add(unavailable.get());
            video[0] = new VideoDecision(false, unavailable.get());
        } else {
            findings = modelAnalysis(session, current, findings, skipped, video);
        }
        job.ensureLease();
        // a false alarm is not a problem the user had: the session's counts (and the "has issues" filter) leave it out
        List<Issue> real = issues.record(session, findings, current).stream()
                .filter(issue -> issue.status != IssueStatus.false_alarm).toList();
        int red = (int) real.stream().filter(issue -> issue.severity == Severity.red).count();
        return JobOutcome.moveTo(SessionStatus.complete,
                Updates.set("issueCount", new IssueCount(red, real.size() - red)),
                video[0] == null ? Updates.unset("videoDecision") : Updates.set("videoDecision", video[0]),
                skipped.isEmpty() ? Updates.unset("modelAnalysisSkipped")
                        : Updates.set("modelAnalysisSkipped", String.join(" ", skipped)));
    }

    /**
     * The text model, then each video model in turn, each adding to what is known; a model that cannot run or fails
     * says why in {@code skipped} and the others carry on. The budget is checked before every call.
     */
    private List<Finding> modelAnalysis(Session session, Settings current, List<Finding> findings,
            List<String> skipped, VideoDecision[] video) throws InterruptedException, IOException {
        List<Finding> detected = List.copyOf(findings);
        if (current.textModel != null && !current.textModel.isBlank()) {
            try {
                TextModelAnalysis.Result analysed = textModel.analyze(session, findings, current.textModel);
                findings = analysed.findings();
                spend.record(SpendKind.models, current.textModel, analysed.costUsd());
            } catch (ModelCallException failed) {
                skipped.add("The text model's call failed: " + failed.getMessage());
                spend.record(SpendKind.models, current.textModel, failed.costUsd());
                if (failed.stopsModelCalls()) {
                    video[0] = new VideoDecision(false, "model calls stopped: " + failed.getMessage());
                    return findings;
                }
            }
        }
        Set<String> videoModels = new LinkedHashSet<>();
        for (String model : new String[] {current.videoModelPrimary, current.videoModelSecondary}) {
            if (model != null && !model.isBlank()) {
                videoModels.add(model);
            }
        }
        if (videoModels.isEmpty()) {
            video[0] = new VideoDecision(false, "no video model is set");
            return findings;
        }
        if (session.videoUrl == null) {
            skipped.add("The video models did not watch: the session has no video.");
            video[0] = new VideoDecision(false, "the session has no video");
            return findings;
        }
        // decided on what the detectors found, before any model: the same session decides the same on a retry
        video[0] = VideoSessionPolicy.decide(session, detected, current);
        if (!video[0].sent) {
            return findings;
        }
        for (String model : videoModels) {
            Optional<String> unavailable = modelsUnavailable(settings.current());
            if (unavailable.isPresent()) {
                skipped.add("The video model " + model + " did not watch: " + unavailable.get());
                if (model.equals(videoModels.iterator().next())) {
                    video[0] = new VideoDecision(false, video[0].reason + "; but " + unavailable.get());
                }
                return findings;
            }
            try {
                VideoModelAnalysis.Result watched = videoModel.analyze(session, findings, model);
                findings = watched.findings();
                spend.record(SpendKind.models, model, watched.costUsd());
            } catch (ModelCallException failed) {
                skipped.add("The video model " + model + " failed: " + failed.getMessage());
                spend.record(SpendKind.models, model, failed.costUsd());
                if (failed.stopsModelCalls()) {
                    return findings;
                }
            } catch (NoSuchKeyException missing) {
                skipped.add("The video models did not watch: the session's video is missing from storage ("
                        + session.videoUrl + ").");
                return findings;
            } catch (IOException unreadable) {
                // frames that ffmpeg cannot sample fail this model, not the session: the detectors' work stands
                skipped.add("The video model " + model + " could not be shown the video: " + unreadable.getMessage());
            }
        }
        return findings;
    }

    private Optional<String> modelsUnavailable(Settings current) {
        Optional<String> unavailable = models.unavailableBecause();
        if (unavailable.isPresent()) {
            return Optional.of(unavailable.get() + ": only the deterministic detectors ran.");
        }
        return spend.hold(SpendKind.models, current).map(BudgetHold::reason);
    }

    /** Whether this session would call a model: a key, and a model set to call. */
    private boolean modelsWouldRun(Settings current) {
        return models.unavailableBecause().isEmpty() && java.util.stream.Stream.of(current.textModel,
                current.videoModelPrimary, current.videoModelSecondary, current.screeningModel)
                .anyMatch(model -> model != null && !model.isBlank());
    }

    private RecordingScan.Result scanRecording(Session session) throws IOException {
        if (session.rrwebEventsUrl == null) {
            return new RecordingScan.Result(List.of(), List.of(), List.of());
        }
        try (InputStream events = storage.open(session.rrwebEventsUrl)) {
            return RecordingScan.read(events, hungAfterMs);
        } catch (NoSuchKeyException missing) {
            throw new UnrecoverableJobException("The recording of session " + session.posthogSessionId
                    + " is missing from storage (" + session.rrwebEventsUrl + "); import it again.");
        } catch (com.fasterxml.jackson.core.JsonProcessingException malformed) {
            throw new UnrecoverableJobException("The recording of session " + session.posthogSessionId
                    + " is not valid rrweb JSON: " + malformed.getOriginalMessage());
        }
    }
}
