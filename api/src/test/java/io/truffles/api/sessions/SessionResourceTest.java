package io.truffles.api.sessions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import com.mongodb.client.model.Updates;
import io.restassured.path.json.JsonPath;
import io.truffles.api.ApiTestData;
import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.NetworkFailure;
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
import org.bson.conversions.Bson;
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
        "to, 2026-11-20", "cursor, garbage!", "limit, 0", "limit, 201", "limit, fifty", "minDuration, -1",
        "maxDuration, long", "hasErrors, yes", "sort, random"})
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

    private void errors(Session session, int console, int network, String startUrl) {
        List<ConsoleError> consoleErrors = new ArrayList<>();
        for (int i = 0; i < console; i++) {
            ConsoleError error = new ConsoleError();
            error.message = "TypeError " + i;
            error.url = "https://shop.example.com/checkout?step=" + i;
            error.offsetSeconds = 3 + i;
            consoleErrors.add(error);
        }
        List<NetworkFailure> networkFailures = new ArrayList<>();
        for (int i = 0; i < network; i++) {
            NetworkFailure failure = new NetworkFailure();
            failure.method = "POST";
            failure.url = "https://api.example.com/pay";
            failure.status = 500;
            failure.offsetSeconds = 5 + i;
            networkFailures.add(failure);
        }
        List<Bson> changes = new ArrayList<>(List.of(Updates.set("consoleErrors", consoleErrors),
                Updates.set("networkFailures", networkFailures)));
        if (startUrl != null) {
            changes.add(Updates.set("metadata", new org.bson.Document("start_url", startUrl)));
        }
        documents.sessions().updateOne(new org.bson.Document("_id", session.id), Updates.combine(changes));
    }

    @Test
    void listItemsCarryErrorCountsAndTheFirstUrlInsteadOfTheArrays() {
        errors(sessions.get(6), 2, 1, "https://shop.example.com/");
        errors(sessions.get(5), 1, 0, null);
        JsonPath list = given().queryParam("limit", 3).when().get("/api/sessions").then().statusCode(200)
                .body("items[0].consoleErrorCount", equalTo(2))
                .body("items[0].networkFailureCount", equalTo(1))
                .body("items[0].firstUrl", equalTo("https://shop.example.com/"))
                .body("items[1].consoleErrorCount", equalTo(1))
                .body("items[1].networkFailureCount", equalTo(0))
                .body("items[1].firstUrl", equalTo("https://shop.example.com/checkout?step=0"))
                .body("items[2].consoleErrorCount", equalTo(0))
                .body("items[2].firstUrl", nullValue())
                .extract().jsonPath();
        for (String heavy : List.of("consoleErrors", "networkFailures", "metadata", "videoTimeline", "videoUrl",
                "rrwebEventsUrl", "lease")) {
            assertThat(list.getMap("items[0]")).as(heavy).doesNotContainKey(heavy);
        }
        // the session page keeps the full arrays
        given().when().get("/api/sessions/" + sessions.get(6).id.toHexString()).then().statusCode(200)
                .body("consoleErrors.message", contains("TypeError 0", "TypeError 1"))
                .body("networkFailures[0].status", equalTo(500))
                .body("metadata.start_url", equalTo("https://shop.example.com/"));
    }

    @Test
    void filtersByDurationAndErrors() {
        errors(sessions.get(1), 0, 2, null);
        errors(sessions.get(2), 1, 0, null);
        documents.sessions().updateOne(new org.bson.Document("_id", sessions.get(0).id), Updates.set("duration", 30.5));
        documents.sessions().updateOne(new org.bson.Document("_id", sessions.get(6).id), Updates.set("duration", 900.0));
        given().queryParam("hasErrors", "true").when().get("/api/sessions")
                .then().statusCode(200).body("items.posthogSessionId", contains("ph-2", "ph-1"));
        given().queryParam("hasErrors", "false").queryParam("limit", 2).when().get("/api/sessions")
                .then().statusCode(200).body("items.posthogSessionId", contains("ph-6", "ph-5"));
        given().queryParam("maxDuration", "60").when().get("/api/sessions")
                .then().statusCode(200).body("items.posthogSessionId", contains("ph-0"));
        given().queryParam("minDuration", "600").when().get("/api/sessions")
                .then().statusCode(200).body("items.posthogSessionId", contains("ph-6"));
        given().queryParam("minDuration", "100").queryParam("maxDuration", "120").queryParam("hasErrors", "true")
                .when().get("/api/sessions")
                .then().statusCode(200).body("items.posthogSessionId", contains("ph-2", "ph-1"));
        given().queryParam("minDuration", "100").queryParam("maxDuration", "50").when().get("/api/sessions")
                .then().statusCode(400).body("field", equalTo("maxDuration"));
    }

    @ParameterizedTest
    @CsvSource({"longest, ph-6|ph-4|ph-5|ph-3|ph-2|ph-1|ph-0", "errors, ph-3|ph-1|ph-5|ph-6|ph-4|ph-2|ph-0"})
    void sortsPageWithACursorWithoutGapsOrRepeats(String sort, String expected) {
        documents.sessions().updateOne(new org.bson.Document("_id", sessions.get(6).id), Updates.set("duration", 900.0));
        documents.sessions().updateOne(new org.bson.Document("_id", sessions.get(4).id), Updates.set("duration", 300.0));
        documents.sessions().updateOne(new org.bson.Document("_id", sessions.get(0).id), Updates.set("duration", 3.0));
        errors(sessions.get(3), 3, 1, null);
        errors(sessions.get(1), 0, 2, null);
        errors(sessions.get(5), 1, 0, null);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = given().queryParam("sort", sort).queryParam("limit", 2)
                    .queryParam("cursor", cursor == null ? "" : cursor)
                    .when().get("/api/sessions").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.posthogSessionId"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(String.join("|", seen)).isEqualTo(expected);
    }

    @Test
    void aCursorOfOneSortIsRefusedByAnother() {
        String cursor = given().queryParam("limit", 2).when().get("/api/sessions").then().statusCode(200)
                .extract().path("nextCursor");
        given().queryParam("sort", "longest").queryParam("cursor", cursor).when().get("/api/sessions")
                .then().statusCode(400).body("field", equalTo("cursor")).body("error", containsString("newest"));
    }

    @Test
    void aFailedSessionShowsItsLastErrorInTheListAndOnItsPage() {
        Session session = sessions.get(5);
        documents.sessions().updateOne(new org.bson.Document("_id", session.id), Updates.combine(
                Updates.set("status", "failed"), Updates.set("lastError", "The replayer threw on event 12")));
        given().queryParam("status", "failed").when().get("/api/sessions").then().statusCode(200)
                .body("items[0].lastError", equalTo("The replayer threw on event 12"));
        given().when().get("/api/sessions/" + session.id.toHexString()).then().statusCode(200)
                .body("lastError", equalTo("The replayer threw on event 12"));
    }

    private void fail(Session session, boolean rendered) {
        List<Bson> changes = new ArrayList<>(List.of(Updates.set("status", "failed"), Updates.set("attempts", 3),
                Updates.set("lastError", "ffmpeg exited with 1")));
        if (!rendered) {
            changes.add(Updates.unset("videoUrl"));
        }
        documents.sessions().updateOne(new org.bson.Document("_id", session.id), Updates.combine(changes));
    }

    @Test
    void retryQueuesAFailedSessionAgainFromTheStageItFailedInAndASecondRetryChangesNothing() {
        Session unrendered = sessions.get(1);
        Session rendered = sessions.get(2);
        fail(unrendered, false);
        fail(rendered, true);
        given().header("Authorization", ApiTestData.ADMIN).when()
                .post("/api/sessions/" + unrendered.id.toHexString() + "/retry")
                .then().statusCode(200).body("status", equalTo("pending")).body("lastError", nullValue())
                .body("attempts", equalTo(0));
        given().header("Authorization", ApiTestData.ADMIN).when()
                .post("/api/sessions/" + rendered.id.toHexString() + "/retry")
                .then().statusCode(200).body("status", equalTo("analyzing"));
        Session before = documents.sessions().find(new org.bson.Document("_id", unrendered.id)).first();
        given().header("Authorization", ApiTestData.ADMIN).when()
                .post("/api/sessions/" + unrendered.id.toHexString() + "/retry")
                .then().statusCode(200).body("status", equalTo("pending"));
        assertThat(documents.sessions().find(new org.bson.Document("_id", unrendered.id)).first().updatedAt)
                .isEqualTo(before.updatedAt);
    }

    @Test
    void retryRefusesACompleteSessionOrOneNeverImportedAndAnUnknownId() {
        given().header("Authorization", ApiTestData.ADMIN).when()
                .post("/api/sessions/" + sessions.get(0).id.toHexString() + "/retry")
                .then().statusCode(409).body("error", containsString("only a failed session"));
        Session neverImported = sessions.get(3);
        documents.sessions().updateOne(new org.bson.Document("_id", neverImported.id), Updates.combine(
                Updates.set("status", "failed"), Updates.unset("rrwebEventsUrl"), Updates.unset("videoUrl")));
        given().header("Authorization", ApiTestData.ADMIN).when()
                .post("/api/sessions/" + neverImported.id.toHexString() + "/retry")
                .then().statusCode(409).body("error", containsString("no imported recording"));
        assertThat(documents.sessions().find(new org.bson.Document("_id", neverImported.id)).first().status)
                .isEqualTo(SessionStatus.failed);
        given().header("Authorization", ApiTestData.ADMIN).when()
                .post("/api/sessions/0123456789abcdef01234567/retry").then().statusCode(404);
    }

    @Test
    void retryNeedsTheAdminPasswordAndWritesNothingWithoutIt() {
        Session session = sessions.get(1);
        fail(session, false);
        given().when().post("/api/sessions/" + session.id.toHexString() + "/retry").then().statusCode(401);
        given().header("Authorization", "Bearer wrong-password").header("X-Forwarded-For", "10.77.0.1")
                .when().post("/api/sessions/" + session.id.toHexString() + "/retry").then().statusCode(401);
        assertThat(documents.sessions().find(new org.bson.Document("_id", session.id)).first().status)
                .isEqualTo(SessionStatus.failed);
    }

    @Test
    void theSourceNamesTheInboxFolderWhenNoPostHogKeyIsSetAndNoSecret() {
        String body = given().when().get("/api/sessions/source").then().statusCode(200)
                .body("source", equalTo("inbox"))
                .body("inboxPath", endsWith("inbox"))
                .extract().asString();
        assertThat(body).doesNotContain("test-admin-password");
        assertThat(java.nio.file.Path.of(JsonPath.from(body).getString("inboxPath")).isAbsolute()).isTrue();
    }
}
