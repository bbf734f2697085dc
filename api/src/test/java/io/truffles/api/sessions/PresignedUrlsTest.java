package io.truffles.api.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import io.truffles.core.testing.MutableClock;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class PresignedUrlsTest {
    private static final Pattern DATE = Pattern.compile("X-Amz-Date=(\\d{8}T\\d{6}Z)");
    private static final Pattern EXPIRES = Pattern.compile("X-Amz-Expires=(\\d+)");

    @Inject
    ObjectStorage storage;

    /** When a presigned URL stops working: its signing time (to the second) plus its validity. */
    static Instant expiry(String url) {
        Matcher date = DATE.matcher(url);
        Matcher expires = EXPIRES.matcher(url);
        assertThat(date.find() && expires.find()).as(url).isTrue();
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX").parse(date.group(1), Instant::from)
                .plusSeconds(Long.parseLong(expires.group(1)));
    }

    @Test
    void aUrlIsReusedOnlyWhileItHasOver55MinutesLeftThenSignedAgain() {
        // the presigner signs with the real clock; the reuse window follows this one, started at the real time
        MutableClock clock = new MutableClock(Instant.now());
        PresignedUrls urls = new PresignedUrls(storage, clock);
        String first = urls.of("sessions/ph-1/thumbnail.jpg");
        assertThat(expiry(first)).isAfterOrEqualTo(clock.instant().plus(Duration.ofMinutes(59)));

        clock.advance(PresignedUrls.REUSE.minusSeconds(1));
        assertThat(urls.of("sessions/ph-1/thumbnail.jpg")).isEqualTo(first);
        assertThat(expiry(first)).isAfterOrEqualTo(clock.instant().plus(Duration.ofMinutes(55)));
        assertThat(urls.of("sessions/ph-2/thumbnail.jpg")).isNotEqualTo(first);

        // a later real second, so that signing again gives a URL of its own
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(expiry(first).minusSeconds(3600)));
        clock.advance(Duration.ofSeconds(2));
        String again = urls.of("sessions/ph-1/thumbnail.jpg");
        assertThat(again).isNotEqualTo(first);
        assertThat(expiry(again)).isAfter(expiry(first));
        assertThat(urls.of(null)).isNull();
        assertThat(urls.of(" ")).isNull();
    }
}
