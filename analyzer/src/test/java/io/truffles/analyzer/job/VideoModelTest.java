package io.truffles.analyzer.job;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.analyzer.models.Prompts;
import io.truffles.analyzer.openrouter.OpenRouterWireMock;
import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.VideoDecision;
import io.truffles.core.documents.VideoSessions;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.mongo.Documents;
import io.truffles.core.settings.LiveSettings;
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.spend.SpendKind;
import io.truffles.core.spend.SpendLedger;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.storage.StorageKeys;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video models against a WireMock OpenRouter: Gemini takes the MP4 as a base64 {@code video_url}; Kimi, which
 * the model list (a fixture in /api/v1/models's shape) says takes only images, gets frames that real ffmpeg sampled.
 * The session's video is a real MP4 that ffmpeg made; its timeline collapses an idle minute into one second.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(value = OpenRouterWireMock.class, restrictToAnnotatedClass = true)
class VideoModelTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final double CALL_COST = 0.003534;
    static byte[] mp4;

    @Inject
    Documents documents;
    @Inject
    SettingsStore settings;
    @Inject
    LiveSettings live;
    @Inject
    ObjectStorage storage;
    @Inject
    Clock clock;

    WireMockServer openRouter;

    @BeforeAll
    static void video(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("recording.mp4");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=duration=11:size=320x240:rate=5", "-pix_fmt", "yuv420p", file.toString())
                .redirectErrorStream(true).start();
        ffmpeg.getInputStream().readAllBytes();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).isZero();
        mp4 = Files.readAllBytes(file);
    }

    @BeforeEach
    void reset() {
        openRouter = OpenRouterWireMock.server();
        openRouter.resetAll();
        OpenRouterWireMock.serveModelList();
        openRouter.stubFor(OpenRouterWireMock.completion("session_issues")
                .willReturn(OpenRouterWireMock.answer("{\"issues\":[]}")));
        openRouter.stubFor(OpenRouterWireMock.completion("issue_screening").willReturn(OpenRouterWireMock.answer(
                "{\"verdict\":\"real\",\"duplicateOf\":null,\"reasoning\":\"Users are blocked.\"}")));
        documents.issues().deleteMany(new Document());
        documents.agentSessions().deleteMany(new Document());
        documents.falseAlarms().deleteMany(new Document());
        documents.sessions().deleteMany(new Document());
        documents.modelSpend().deleteMany(new Document());
        new ModelSettings(ModelSettings.OPUS, ModelSettings.GEMINI, ModelSettings.KIMI, ModelSettings.OPUS, 20.0)
                .apply(settings, live);
        videoSessions(VideoSessions.all);
    }

    private void videoSessions(VideoSessions mode) {
        settings.update(List.of(Updates.set("videoSessions", mode.name())));
        await().atMost(Duration.ofSeconds(10)).until(() -> live.current().videoSessions == mode);
    }

    @Test
    void withVideoSessionsSignalsASessionWithoutSignalsIsNotWatchedAndSaysWhy() {
        videoSessions(VideoSessions.signals);
        Session session = analyzing(mp4, false);

        await().atMost(Duration.ofSeconds(60)).until(() -> status(session) == SessionStatus.complete);

        VideoDecision decision = documents.sessions().find(eq("_id", session.id)).first().videoDecision;
        assertThat(decision.sent).isFalse();
        assertThat(decision.reason).isEqualTo("no signals (videoSessions: signals)");
        openRouter.verify(0, postRequestedFor(urlEqualTo("/api/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.name",
                        equalTo("session_video_issues"))));
    }

    @Test
    void geminiWatchesTheVideoKimiTheFramesAndWhatBothSawOfTheFailedSaveIsOneIssueFromBothSources()
            throws Exception {
        openRouter.stubFor(videoModel(ModelSettings.GEMINI).willReturn(OpenRouterWireMock.answer("""
                {"issues":[
                  {"title":"Saving the order fails","description":"An error banner appears after Save",
                   "severity":"red","timestamp":4.0,"sameAs":"F1","reasoning":"The banner says the save failed."},
                  {"title":"Spinner never ends on the summary","description":"The summary keeps loading",
                   "severity":"yellow","timestamp":6.5,"sameAs":null,"reasoning":"It spins until the end."}]}
                """)));
        openRouter.stubFor(videoModel(ModelSettings.KIMI).willReturn(OpenRouterWireMock.answer("""
                {"issues":[
                  {"title":"Saving the order items failed","description":"Error text after clicking Save",
                   "severity":"red","timestamp":4.5,"sameAs":null,"reasoning":"Red error text after Save."}]}
                """)));

        Session session = analyzing();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(session) == SessionStatus.complete);
        assertThat(documents.sessions().find(eq("_id", session.id)).first().videoDecision.sent).isTrue();

        Issue failedSave = documents.issues().find(eq("title", "Request failed: POST /orders/:id/items (500)")).first();
        assertThat(failedSave.analysisSource).isEqualTo(AnalysisSource.both);
        assertThat(failedSave.modelUsed).contains("google/gemini-3-pro-preview-20251117");
        assertThat(failedSave.llmReasoning).contains("The banner says the save failed.")
                .contains("Red error text after Save.");
        assertThat(failedSave.promptVersion).contains(Prompts.VIDEO_VERSION);
        assertThat(failedSave.timestamp).isEqualTo(4.0);
        Issue spinner = documents.issues().find(eq("title", "Spinner never ends on the summary")).first();
        assertThat(spinner.analysisSource).isEqualTo(AnalysisSource.video);
        // 6.5 s into the video is 65.5 s into the session, past the collapsed minute; the issue is placed on the video
        assertThat(spinner.timestamp).isCloseTo(6.5, within(0.001));
        assertThat(documents.issues().countDocuments()).isEqualTo(2);
        assertThat(documents.sessions().find(eq("_id", session.id)).first().modelAnalysisSkipped).isNull();

        JsonNode geminiRequest = JSON.readTree(only(ModelSettings.GEMINI).getBodyAsString());
        assertThat(geminiRequest.path("messages").path(0).path("content").asText()).isEqualTo(Prompts.VIDEO_SYSTEM);
        assertThat(geminiRequest.path("response_format").path("type").asText()).isEqualTo("json_schema");
        assertThat(geminiRequest.path("provider").path("require_parameters").asBoolean()).isTrue();
        JsonNode parts = geminiRequest.path("messages").path(1).path("content");
        assertThat(parts.path(0).path("type").asText()).isEqualTo("text");
        assertThat(parts.path(0).path("text").asText()).contains("\"id\" : \"F1\"").contains("\"videoSeconds\" : 4.0");
        assertThat(parts.path(1).path("type").asText()).isEqualTo("video_url");
        assertThat(parts.path(1).path("video_url").path("url").asText())
                .isEqualTo("data:video/mp4;base64," + Base64.getEncoder().encodeToString(mp4));

        JsonNode kimiParts = JSON.readTree(only(ModelSettings.KIMI).getBodyAsString())
                .path("messages").path(1).path("content");
        List<JsonNode> images = kimiParts.findParents("image_url");
        assertThat(images).hasSizeGreaterThanOrEqualTo(5);
        assertThat(kimiParts.toString()).doesNotContain("video_url").contains("Frame at 2.0 s of the video");
        String firstFrame = images.get(0).path("image_url").path("url").asText();
        assertThat(firstFrame).startsWith("data:image/jpeg;base64,");
        byte[] jpeg = Base64.getDecoder().decode(firstFrame.substring(firstFrame.indexOf(',') + 1));
        assertThat(jpeg[0] & 0xff).isEqualTo(0xff);
        assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);

        // both video models' modalities were looked up; the list was read once
        openRouter.verify(1, getRequestedFor(urlEqualTo("/api/v1/models")));
        long calls = openRouter.countRequestsMatching(postRequestedFor(urlEqualTo("/api/v1/chat/completions"))
                .build()).getCount();
        assertThat(modelsSpentToday()).isCloseTo(calls * CALL_COST, within(1e-9));
    }

    @Test
    void aVideoModelThatAnswersInvalidJsonIsAskedAgainAndBothAttemptsAreCharged() throws Exception {
        new ModelSettings("", ModelSettings.GEMINI, "", "", 20.0).apply(settings, live);
        openRouter.stubFor(videoModel(ModelSettings.GEMINI).inScenario("json").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(OpenRouterWireMock.answer("Here is what I saw: the save failed {"))
                .willSetStateTo("asked again"));
        openRouter.stubFor(videoModel(ModelSettings.GEMINI).inScenario("json").whenScenarioStateIs("asked again")
                .willReturn(OpenRouterWireMock.answer("""
                        {"issues":[{"title":"Coupon field rejects every code","description":"Each code shows Invalid",
                          "severity":"yellow","timestamp":9.0,"sameAs":null,"reasoning":"Three codes, three errors."}]}
                        """)));

        Session session = analyzing();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(session) == SessionStatus.complete);

        Issue coupon = documents.issues().find(eq("title", "Coupon field rejects every code")).first();
        assertThat(coupon.analysisSource).isEqualTo(AnalysisSource.video);
        assertThat(coupon.costUsd).isCloseTo(2 * CALL_COST, within(1e-9));
        assertThat(openRouter.findAll(postRequestedFor(urlEqualTo("/api/v1/chat/completions")))).hasSize(2);
        assertThat(modelsSpentToday()).isCloseTo(2 * CALL_COST, within(1e-9));
    }

    @Test
    void whenTheTextModelSpendsTheLastOfTheBudgetTheVideoModelsDoNotWatchAndTheSessionSaysWhy() {
        new ModelSettings(ModelSettings.OPUS, ModelSettings.GEMINI, ModelSettings.KIMI, "", 0.003).apply(settings, live);

        Session session = analyzing();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(session) == SessionStatus.complete);

        assertThat(documents.sessions().find(eq("_id", session.id)).first().modelAnalysisSkipped)
                .contains("The video model " + ModelSettings.GEMINI + " did not watch").contains("budget is reached");
        openRouter.verify(0, postRequestedFor(urlEqualTo("/api/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.name",
                        equalTo("session_video_issues"))));
        // the detector's finding is still recorded
        assertThat(documents.issues().countDocuments()).isEqualTo(1);
    }

    @Test
    void aVideoFfmpegCannotReadFailsTheImageOnlyModelNotTheSession() {
        new ModelSettings("", ModelSettings.KIMI, "", "", 20.0).apply(settings, live);
        Session session = analyzing("not an mp4 at all".getBytes());

        await().atMost(Duration.ofSeconds(60)).until(() -> status(session) == SessionStatus.complete);

        assertThat(documents.sessions().find(eq("_id", session.id)).first().modelAnalysisSkipped)
                .contains("The video model " + ModelSettings.KIMI + " could not be shown the video: ffmpeg");
        assertThat(documents.issues().countDocuments()).isEqualTo(1);
        openRouter.verify(0, postRequestedFor(urlEqualTo("/api/v1/chat/completions")));
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder videoModel(String model) {
        return OpenRouterWireMock.completion("session_video_issues")
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    }

    private LoggedRequest only(String model) {
        List<LoggedRequest> requests = openRouter.findAll(postRequestedFor(urlEqualTo("/api/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.name",
                        equalTo("session_video_issues"))));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private Session analyzing() {
        return analyzing(mp4);
    }

    private Session analyzing(byte[] video) {
        return analyzing(video, true);
    }

    /** @param failedRequest whether the session has a failed request (a signal) */
    private Session analyzing(byte[] video, boolean failedRequest) {
        Session session = new Session();
        session.posthogSessionId = "video-" + UUID.randomUUID();
        session.userId = "ann";
        session.status = SessionStatus.analyzing;
        NetworkFailure failure = new NetworkFailure();
        failure.method = "POST";
        failure.url = "https://api.example.com/orders/5/items";
        failure.status = 500;
        failure.offsetSeconds = 4.0;
        session.networkFailures = failedRequest ? List.of(failure) : List.of();
        session.duration = 70.0;
        session.videoDuration = 11.0;
        session.videoTimeline = List.of(new VideoTimelineSegment(0, 5, 0, 5, false),
                new VideoTimelineSegment(5, 65, 5, 6, true), new VideoTimelineSegment(65, 70, 6, 11, false));
        session.videoUrl = StorageKeys.recording(session.posthogSessionId);
        storage.put(session.videoUrl, video, "video/mp4");
        session.createdAt = Instant.now();
        documents.sessions().insertOne(session);
        return session;
    }

    private SessionStatus status(Session session) {
        return documents.sessions().find(eq("_id", session.id)).first().status;
    }

    private SpendLedger ledger() {
        return new SpendLedger(documents, clock, SettingsStore::builtInDefaults);
    }

    private double modelsSpentToday() {
        return ledger().spentToday(SpendKind.models);
    }
}
