package io.truffles.api.notifications;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.truffles.api.ApiTestData;
import io.truffles.core.mongo.Documents;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The channels API: what it refuses and why, that secrets leave it masked, and the test message. */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class NotificationChannelsApiTest {
    private static final String SECRET = "whsec-api-test-secret-9f3a";

    @Inject
    Documents documents;

    @Inject
    io.truffles.core.storage.ObjectStorage storage;

    @BeforeEach
    @org.junit.jupiter.api.AfterEach
    void clean() {
        documents.database().getCollection(ChannelStore.COLLECTION).deleteMany(new Document());
    }

    @Test
    void aChannelComesBackWithItsUrlAndSecretMaskedEverywhere() {
        String url = "https://hooks.example.com/services/T000/B000/abcdefghijklmnopWXYZ";
        String id = given().header("Authorization", ApiTestData.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("type", "webhook", "url", url, "secret", SECRET, "events", List.of("issue.red",
                        "budget.reached"), "name", "ops"))
                .when().post("/api/notifications/channels").then().statusCode(201)
                .body("type", equalTo("webhook")).body("name", equalTo("ops"))
                .body("url", equalTo("••••WXYZ")).body("secret", equalTo("••••9f3a"))
                .body("events", equalTo(List.of("issue.red", "budget.reached")))
                .body("quiet", equalTo(true)).body("paused", equalTo(false)).body("lastDelivery", nullValue())
                .extract().path("_id");
        given().when().get("/api/notifications/channels").then().statusCode(200)
                .body("[0]._id", equalTo(id)).body("[0].url", equalTo("••••WXYZ"))
                .body(not(containsString("abcdefghijklmnop"))).body(not(containsString("whsec-api-test")));

        given().header("Authorization", ApiTestData.ADMIN).when().delete("/api/notifications/channels/" + id)
                .then().statusCode(204);
        given().header("Authorization", ApiTestData.ADMIN).when().delete("/api/notifications/channels/" + id)
                .then().statusCode(404);
    }

    @Test
    void badChannelsAreRefusedNamingTheField() {
        refused(Map.of("type", "email", "url", "https://x.example/h", "events", List.of("issue.red")), "type");
        refused(Map.of("type", "slack", "url", "http://hooks.slack.com/x", "events", List.of("issue.red")), "url");
        refused(Map.of("type", "slack", "url", "not a url", "events", List.of("issue.red")), "url");
        refused(Map.of("type", "webhook", "url", "https://x.example/h", "events", List.of("issue.red")), "secret");
        refused(Map.of("type", "webhook", "url", "https://x.example/h", "secret", "short",
                "events", List.of("issue.red")), "secret");
        refused(Map.of("type", "slack", "url", "https://x.example/h", "events", List.of("issue.purple")), "events");
        refused(Map.of("type", "slack", "url", "https://x.example/h", "events", List.of()), "events");
        refused(Map.of("type", "slack", "url", "https://x.example/h", "events", List.of("issue.red"),
                "colour", "blue"), "colour");
        refused(Map.of("type", "slack", "url", "https://x.example/h", "events", List.of("issue.red"),
                "quiet", "false"), "quiet");
        refused(Map.of("type", "slack", "url", "https://x.example/h", "events", List.of("issue.red"),
                "quiet", 0), "quiet");
    }

    @Test
    void patchChangesTheQuietRuleAndTheEventsAndLeavesTheRestMasked() {
        String url = "https://hooks.example.com/services/T000/B000/abcdefghijklmnopWXYZ";
        String id = given().header("Authorization", ApiTestData.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("type", "webhook", "url", url, "secret", SECRET, "events", List.of("issue.red"),
                        "quiet", false))
                .when().post("/api/notifications/channels").then().statusCode(201).body("quiet", equalTo(false))
                .extract().path("_id");

        patch(id, Map.of("quiet", true)).then().statusCode(200).body("quiet", equalTo(true))
                .body("events", equalTo(List.of("issue.red"))).body("url", equalTo("••••WXYZ"))
                .body("secret", equalTo("••••9f3a"));
        patch(id, Map.of("events", List.of("pr.opened", "issue.users", "pr.opened"))).then().statusCode(200)
                .body("quiet", equalTo(true)).body("events", equalTo(List.of("pr.opened", "issue.users")))
                .body(not(containsString("abcdefghijklmnop"))).body(not(containsString("whsec-api-test")));
        patch(id, Map.of("quiet", false, "events", List.of("agent.failed"))).then().statusCode(200)
                .body("quiet", equalTo(false)).body("events", equalTo(List.of("agent.failed")));
        given().when().get("/api/notifications/channels").then().statusCode(200)
                .body("[0].quiet", equalTo(false)).body("[0].events", equalTo(List.of("agent.failed")));

        // refused: nothing of the channel changes
        patch(id, Map.of()).then().statusCode(400).body("field", equalTo("body"));
        patch(id, Map.of("quiet", "yes")).then().statusCode(400).body("field", equalTo("quiet"));
        patch(id, Map.of("events", List.of())).then().statusCode(400).body("field", equalTo("events"));
        patch(id, Map.of("quiet", true, "events", List.of("issue.purple"))).then().statusCode(400)
                .body("field", equalTo("events"));
        patch(id, Map.of("url", "https://elsewhere.example/h")).then().statusCode(400).body("field", equalTo("url"));
        given().when().get("/api/notifications/channels").then()
                .body("[0].quiet", equalTo(false)).body("[0].events", equalTo(List.of("agent.failed")));

        patch("0123456789abcdef01234567", Map.of("quiet", true)).then().statusCode(404);
    }

    /** A channel written before quiet was a setting has no field: it keeps the rule. */
    @Test
    void aChannelWithoutTheFieldIsQuiet() {
        documents.database().getCollection(ChannelStore.COLLECTION).insertOne(new Document("type", "slack")
                .append("name", "old").append("url", "https://hooks.example.com/oldWXYZ")
                .append("events", List.of("issue.red")).append("paused", false));
        given().when().get("/api/notifications/channels").then().statusCode(200).body("[0].quiet", equalTo(true));
    }

    @Test
    void writesNeedTheAdminPassword() {
        given().contentType(ContentType.JSON).body(Map.of("type", "slack", "url", "https://x.example/h",
                "events", List.of("issue.red"))).when().post("/api/notifications/channels").then().statusCode(401);
        String id = "0123456789abcdef01234567";
        given().when().delete("/api/notifications/channels/" + id).then().statusCode(401);
        given().when().post("/api/notifications/channels/" + id + "/test").then().statusCode(401);
        given().when().post("/api/notifications/channels/" + id + "/resume").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("quiet", false)).when()
                .patch("/api/notifications/channels/" + id).then().statusCode(401);
    }

    @Test
    void theTestMessageSaysWhatTheReceiverAnswered() throws IOException {
        try (LocalReceiver receiver = new LocalReceiver()) {
            String id = given().header("Authorization", ApiTestData.ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("type", "webhook", "url", receiver.url("/t"), "secret", SECRET,
                            "events", List.of("issue.red")))
                    .when().post("/api/notifications/channels").then().statusCode(201).extract().path("_id");
            given().header("Authorization", ApiTestData.ADMIN).when()
                    .post("/api/notifications/channels/" + id + "/test").then().statusCode(200)
                    .body("ok", equalTo(true)).body("status", equalTo(200));
            receiver.answer(new LocalReceiver.Answer(404, "no_service", null));
            given().header("Authorization", ApiTestData.ADMIN).when()
                    .post("/api/notifications/channels/" + id + "/test").then().statusCode(502)
                    .body("ok", equalTo(false)).body("status", equalTo(404))
                    .body("error", equalTo("HTTP 404: no_service"));
            org.assertj.core.api.Assertions.assertThat(receiver.received()).hasSize(2)
                    .allSatisfy(r -> org.assertj.core.api.Assertions.assertThat(r.header("X-Truffles-Event"))
                            .isEqualTo("test"));
        }
        given().header("Authorization", ApiTestData.ADMIN).when()
                .post("/api/notifications/channels/0123456789abcdef01234567/test").then().statusCode(404);
    }

    @Test
    void aSessionsThumbnailIsServedForSlackToFetch() {
        io.truffles.core.documents.Session session = ApiTestData.session("thumb1",
                io.truffles.core.documents.SessionStatus.complete, java.time.Instant.now(), 1, 0);
        documents.sessions().insertOne(session);
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3};
        storage.put(session.thumbnailUrl, jpeg, "image/jpeg");
        org.assertj.core.api.Assertions.assertThat(given().when()
                .get("/api/notifications/thumbnails/" + session.id.toHexString() + ".jpg").then().statusCode(200)
                .contentType("image/jpeg").extract().asByteArray()).isEqualTo(jpeg);
        given().when().get("/api/notifications/thumbnails/0123456789abcdef01234567.jpg").then().statusCode(404);
    }

    private static io.restassured.response.Response patch(String id, Map<String, Object> body) {
        return given().header("Authorization", ApiTestData.ADMIN).contentType(ContentType.JSON).body(body)
                .when().patch("/api/notifications/channels/" + id);
    }

    private static void refused(Map<String, Object> body, String field) {
        given().header("Authorization", ApiTestData.ADMIN).contentType(ContentType.JSON).body(body)
                .when().post("/api/notifications/channels").then().statusCode(400).body("field", equalTo(field));
    }
}
