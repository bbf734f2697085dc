package io.truffles.core.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VideoTimelineSegmentTest {
    // 0-10 s shown as is, 10-70 s of idle collapsed to 2 s of marker, 70-80 s shown as is
    private static final List<VideoTimelineSegment> TIMELINE = List.of(
            new VideoTimelineSegment(0, 10, 0, 10, false),
            new VideoTimelineSegment(10, 70, 10, 12, true),
            new VideoTimelineSegment(70, 80, 12, 22, false));

    @Test
    void sessionTimeAfterACollapsedIdleStretchIsEarlierInTheVideo() {
        assertThat(VideoTimelineSegment.videoTimeOf(TIMELINE, 5)).isEqualTo(5);
        assertThat(VideoTimelineSegment.videoTimeOf(TIMELINE, 75)).isEqualTo(17);
        assertThat(VideoTimelineSegment.videoTimeOf(TIMELINE, 40)).isEqualTo(11);
        assertThat(VideoTimelineSegment.videoTimeOf(TIMELINE, 95)).isEqualTo(22);
    }

    @Test
    void withoutATimelineVideoTimeIsSessionTime() {
        assertThat(VideoTimelineSegment.videoTimeOf(null, 42.5)).isEqualTo(42.5);
    }

    @Test
    void aVideoTimeMapsBackToTheSessionTimeItShowsAndAMarkerToTheStartOfTheIdleStretch() {
        assertThat(VideoTimelineSegment.sessionTimeOf(TIMELINE, 5)).isEqualTo(5);
        assertThat(VideoTimelineSegment.sessionTimeOf(TIMELINE, 17)).isEqualTo(75);
        assertThat(VideoTimelineSegment.sessionTimeOf(TIMELINE, 11)).isEqualTo(10);
        assertThat(VideoTimelineSegment.sessionTimeOf(TIMELINE, 30)).isEqualTo(80);
        assertThat(VideoTimelineSegment.sessionTimeOf(null, 42.5)).isEqualTo(42.5);
        assertThat(VideoTimelineSegment.videoTimeOf(TIMELINE, VideoTimelineSegment.sessionTimeOf(TIMELINE, 15.5)))
                .isEqualTo(15.5);
    }
}
