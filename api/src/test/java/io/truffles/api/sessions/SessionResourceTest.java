package io.truffles.api.sessions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import com.mongodb.client.model.Updates;
import io.restassured.path.json.JsonPath;
import io.truffles.api.ApiTestData;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.mongo.Documents;
import io.truffles.core.storage.ObjectStorage;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class SessionResourceTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Inject
    Documents documents;

    @Inject
    ObjectStorage storage;

    private final List<Session> sessions = new ArrayList<>();

    @BeforeEach
    void load() {
        ApiTestData.clear(documents);
        sessions.clear();
        for (int i = 0; i < 7; i++) {
            Session session = ApiTestData.session("ph-" + i, i % 2 == 0 ? SessionStatus.complete : SessionStatus.pending,
                    T0.plusSeconds(60L * i), i == 3 ? 1 : 0, i == 4 ? 2 : 0);
            sessions.add(session);
        }
        documents.sessions().insertMany(sessions);
    }

    @Test
    void theListIsNewestFirstAndPagesWithACursorWithoutGapsOrRepeats() {
        JsonPath first = given().queryParam("limit", 3).when().get("/api/sessions")
                .then().statusCode(200).body("items", hasSize(3)).extract().jsonPath();
        assertThat(first.getList("items.posthogSessionId")).containsExactly("ph-6", "ph-5", "ph-4");
        JsonPath second = given().queryParam("limit", 3).queryParam("cursor", first.getString("nextCursor"))
                .when().get("/api/sessions").then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("items.posthogSessionId")).containsExactly("ph-3", "ph-2", "ph-1");
        JsonPath third = given().queryParam("limit", 3).queryParam("cursor", second.getString("nextCursor"))
                .when().get("/api/sessions").then().statusCode(200).extract().jsonPath();
        assertThat(third.getList("items.posthogSessionId")).containsExactly("ph-0");
        assertThat(third.getString("nextCursor")).isNull();
    }

    @Test
    void listItemsCarryAPresignedThumbnailAndNotTheHeavyFields() {
        given().queryParam("limit", 1).when().get("/api/sessions")
                .then().statusCode(200)
                .body("items[0]._id", equalTo(sessions.get(6).id.toHexString()))
                .body("items[0].thumbnailUrl", containsString("sessions/ph-6/thumbnail.jpg"))
                .body("items[0].thumbnailUrl", containsString("X-Amz-Signature="))
                .body("items[0].thumbnailUrl", containsString("X-Amz-Expires=3600"))
                .body("items[0].consoleErrors", nullValue());
    }

    @Test
    void filtersByStatusIssuesSeverityUserAndDate() {
        given().queryParam("status", "pending").when().get("/api/sessions")
                .then().statusCode(200).body("items.posthogSessionId", contains("ph-5", "ph-3", "ph-1"));
        given().queryParam("hasIssues", "true").when().get("/api/sessions")
                .then().statusCode(200).body("items.posthogSessionId", contains("ph-4", "ph-3"));
        given().queryParam("severity", "red").when().get("/api/sessions")
                .then().statusCode(200).body("items.posthogSessionId", contains("ph-3"));
        given().queryParam("user", "ph-2@example.com").when().get("/api/sessions")
                .then().statusCode(200).body("items.posthogSessionId", contains("ph-2"));
        given().queryParam("from", T0.plusSeconds(60 * 5 - 600).toString())
                .queryParam("to", T0.plusSeconds(60 * 6 - 600).toString())
                .when().get("/api/sessions")
                .then().statusCode(200).body("items.posthogSessionId", contains("ph-5"));
    }

    @ParameterizedTest
    @CsvSource({
        "status, exploded", "hasIssues, maybe", "hasIssues, 1", "severity, green", "from, yesterday",
        "to, 2026-11-20", "cursor, garbage!", "limit, 0", "limit, 201", "limit, fifty"})
    void aBadFilterAnswers400NamingTheParameter(String parameter, String value) {
        given().queryParam(parameter, value).when().get("/api/sessions")
                .then().statusCode(400).body("field", equalTo(parameter))
                .body("error", startsWith(parameter + ": "));
    }

    @Test
    void aDateRangeEndingBeforeItStartsAnswers400NamingTo() {
        given().queryParam("from", T0.toString()).queryParam("to", T0.minusSeconds(1).toString())
                .when().get("/api/sessions")
                .then().statusCode(400).body("field", equalTo("to")).body("error", containsString("later than from"));
        given().queryParam("from", T0.toString()).queryParam("to", T0.toString())
                .when().get("/api/sessions")
                .then().statusCode(400).body("field", equalTo("to"));
    }

    @Test
    void oneSessionHasItsIssuesPresignedUrlsThatWorkAndItsVideoTimeMapping() throws Exception {
        Session session = sessions.get(3);
        storage.put(session.videoUrl, "mp4 bytes".getBytes(), "video/mp4");
        documents.issues().insertOne(ApiTestData.issue(session.id, Severity.red, IssueStatus.queued, 1, T0));
        String videoUrl = given().when().get("/api/sessions/" + session.id.toHexString())
                .then().statusCode(200)
                .body("posthogSessionId", equalTo("ph-3"))
                .body("issues", hasSize(1))
                .body("issues[0].severity", equalTo("red"))
                .body("videoTimeMapping", empty())
                .body("rrwebEventsUrl", containsString("X-Amz-Signature="))
                .extract().path("videoUrl");
        HttpResponse<String> video = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(videoUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(video.body()).isEqualTo("mp4 bytes");
        // the document keeps the S3 key
        assertThat(documents.sessions().find(new org.bson.Document("_id", session.id)).first().videoUrl)
                .isEqualTo("sessions/ph-3/recording.mp4");
    }

    @Test
    void everyUrlServedHasAtLeast55MinutesLeft() {
        JsonPath session = given().when().get("/api/sessions/" + sessions.get(2).id.toHexString())
                .then().statusCode(200).extract().jsonPath();
        List<String> urls = new ArrayList<>();
        for (String field : List.of("videoUrl", "thumbnailUrl", "rrwebEventsUrl")) {
            urls.add(session.getString(field));
        }
        urls.addAll(given().queryParam("limit", 7).when().get("/api/sessions").then().statusCode(200)
                .extract().jsonPath().getList("items.thumbnailUrl", String.class));
        Instant now = Instant.now();
        assertThat(urls).hasSize(10).allSatisfy(url -> assertThat(PresignedUrlsTest.expiry(url))
                .isAfterOrEqualTo(now.plus(Duration.ofMinutes(55))));
    }

    @Test
    void aRenderedSessionServesTheRenderersVideoTimelineAsItsVideoTimeMapping() {
        Session session = sessions.get(4);
        // 0-30 s played as recorded, 30-330 s of idleness collapsed into a 2 s marker, then 330-400 s as recorded
        List<VideoTimelineSegment> timeline = List.of(
                new VideoTimelineSegment(0, 30, 0, 30, false),
                new VideoTimelineSegment(30, 330, 30, 32, true),
                new VideoTimelineSegment(330, 400, 32, 102, false));
        documents.sessions().updateOne(new org.bson.Document("_id", session.id),
                Updates.combine(Updates.set("videoTimeline", timeline), Updates.set("videoDuration", 102.0)));
        JsonPath body = given().when().get("/api/sessions/" + session.id.toHexString())
                .then().statusCode(200)
                .body("videoTimeMapping", hasSize(3))
                .body("videoTimeline", nullValue())
                .body("videoDuration", equalTo(102.0f))
                .extract().jsonPath();
        assertThat(body.getList("videoTimeMapping.sessionStart", Float.class)).containsExactly(0f, 30f, 330f);
        assertThat(body.getList("videoTimeMapping.sessionEnd", Float.class)).containsExactly(30f, 330f, 400f);
        assertThat(body.getList("videoTimeMapping.videoStart", Float.class)).containsExactly(0f, 30f, 32f);
        assertThat(body.getList("videoTimeMapping.videoEnd", Float.class)).containsExactly(30f, 32f, 102f);
        assertThat(body.getList("videoTimeMapping.collapsed", Boolean.class)).containsExactly(false, true, false);
        // list items leave the timeline out: only the session page needs it
        given().queryParam("limit", 10).when().get("/api/sessions").then().statusCode(200)
                .body("items.find { it.posthogSessionId == 'ph-4' }.videoTimeline", nullValue())
                .body("items.find { it.posthogSessionId == 'ph-4' }.videoTimeMapping", nullValue());
    }

    @Test
    void anUnknownOrMalformedSessionIdAnswers404() {
        given().when().get("/api/sessions/0123456789abcdef01234567").then().statusCode(404)
                .body("error", containsString("0123456789abcdef01234567"));
        given().when().get("/api/sessions/not-an-id").then().statusCode(404);
    }
}
