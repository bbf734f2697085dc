package io.truffles.api.falsealarms;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.api.ApiTestData;
import io.truffles.core.mongo.Documents;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class FalseAlarmResourceTest {
    @Inject
    Documents documents;

    @BeforeEach
    void clear() {
        ApiTestData.clear(documents);
    }

    @Test
    void anAdminAddsListsAndDeletesPatterns() {
        String id = given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"pattern\":\"404 on /favicon.ico\",\"reason\":\"harmless\"}")
                .when().post("/api/false-alarms")
                .then().statusCode(201).body("source", equalTo("manual")).extract().path("_id");
        given().when().get("/api/false-alarms").then().statusCode(200).body("pattern", contains("404 on /favicon.ico"));
        given().header("Authorization", ApiTestData.ADMIN).when().delete("/api/false-alarms/" + id)
                .then().statusCode(204);
        given().header("Authorization", ApiTestData.ADMIN).when().delete("/api/false-alarms/" + id)
                .then().statusCode(404);
        assertThat(documents.falseAlarms().countDocuments()).isZero();
    }

    @Test
    void badBodiesAre400NamingTheFieldAndWriteNothing() {
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json").body("{\"reason\":\"x\"}")
                .when().post("/api/false-alarms").then().statusCode(400).body("field", equalTo("pattern"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"pattern\":\"x\",\"issueId\":\"nope\"}")
                .when().post("/api/false-alarms").then().statusCode(400).body("field", equalTo("issueId"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json").body("{\"pattern\": [1,")
                .when().post("/api/false-alarms").then().statusCode(400).body("field", equalTo("pattern"));
        // with Expect: 100-continue the api answers 413 from the Content-Length before the body is sent, so the
        // client never writes into a connection the server closed (a busy machine saw a broken pipe, not the 413)
        given().header("Expect", "100-continue")
                .header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"pattern\":\"" + "x".repeat(300_000) + "\"}")
                .when().post("/api/false-alarms").then().statusCode(413);
        assertThat(documents.falseAlarms().countDocuments()).isZero();
    }

    @Test
    void aBadListLimitAnswers400NamingIt() {
        for (String limit : new String[] {"0", "1001", "-1", "many"}) {
            given().queryParam("limit", limit).when().get("/api/false-alarms")
                    .then().statusCode(400).body("field", equalTo("limit"));
        }
        given().queryParam("limit", 1000).when().get("/api/false-alarms").then().statusCode(200);
    }

    @Test
    void deleteNeedsTheAdminPassword() {
        given().when().delete("/api/false-alarms/0123456789abcdef01234567").then().statusCode(401);
    }
}
