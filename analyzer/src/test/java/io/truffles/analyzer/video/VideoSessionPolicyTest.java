package io.truffles.analyzer.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.FindingKind;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Settings;
import io.truffles.core.documents.Severity;
import io.truffles.core.documents.VideoDecision;
import io.truffles.core.documents.VideoSessions;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VideoSessionPolicyTest {
    private static final Finding DEAD_CLICK = new Finding(FindingKind.DEAD_CLICK, Severity.yellow, "Save does nothing",
            "", 3.0, "/orders", "button#save", "dead");

    @Test
    void allWatchesEverySessionAndSaysSo() {
        VideoDecision decision = VideoSessionPolicy.decide(session("quiet"), List.of(), settings(VideoSessions.all, 0));
        assertThat(decision.sent).isTrue();
        assertThat(decision.reason).contains("videoSessions: all");
    }

    @Test
    void signalsWatchesOnlySessionsWhereTheDetectorsOrPostHogFoundSomething() {
        Settings signals = settings(VideoSessions.signals, 0);
        VideoDecision detected = VideoSessionPolicy.decide(session("a"), List.of(DEAD_CLICK), signals);
        assertThat(detected.sent).isTrue();
        assertThat(detected.reason).isEqualTo("signals: 1 detector finding(s) (dead_click)");

        Session counted = session("b");
        counted.metadata = Map.of("console_error_count", 3);
        assertThat(VideoSessionPolicy.decide(counted, List.of(), signals).reason)
                .isEqualTo("signals: PostHog counted 3 console error(s)");

        VideoDecision quiet = VideoSessionPolicy.decide(session("c"), List.of(), signals);
        assertThat(quiet.sent).isFalse();
        assertThat(quiet.reason).isEqualTo("no signals (videoSessions: signals)");
    }

    @Test
    void sampledWatchesSignalsAlwaysAndAboutItsPercentageOfTheRestTheSameOnEveryRetry() {
        Settings tenPercent = settings(VideoSessions.sampled, 10);
        assertThat(VideoSessionPolicy.decide(session("x"), List.of(DEAD_CLICK), tenPercent).sent).isTrue();

        List<VideoDecision> decisions = IntStream.range(0, 2000)
                .mapToObj(i -> VideoSessionPolicy.decide(session("s-" + i), List.of(), tenPercent)).toList();
        long drawn = decisions.stream().filter(decision -> decision.sent).count();
        assertThat(drawn).isBetween(150L, 250L);
        assertThat(decisions).filteredOn(decision -> !decision.sent).first()
                .extracting(decision -> decision.reason).isEqualTo("no signals; 10 % sample not drawn");
        assertThat(decisions).filteredOn(decision -> decision.sent).first()
                .extracting(decision -> decision.reason).isEqualTo("no signals; drawn in the 10 % sample");
        for (int i = 0; i < 50; i++) {
            assertThat(VideoSessionPolicy.decide(session("s-" + i), List.of(), tenPercent).sent)
                    .as("a retry decides the same").isEqualTo(decisions.get(i).sent);
        }
        assertThat(VideoSessionPolicy.decide(session("s-1"), List.of(), settings(VideoSessions.sampled, 0)).sent)
                .isFalse();
        assertThat(VideoSessionPolicy.decide(session("s-1"), List.of(), settings(VideoSessions.sampled, 100)).sent)
                .isTrue();
    }

    private static Session session(String id) {
        Session session = new Session();
        session.posthogSessionId = id;
        return session;
    }

    private static Settings settings(VideoSessions mode, int percent) {
        Settings settings = new Settings();
        settings.videoSessions = mode;
        settings.videoSamplePercent = percent;
        return settings;
    }
}
