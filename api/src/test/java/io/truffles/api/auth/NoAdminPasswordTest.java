package io.truffles.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(NoAdminPasswordTest.Unset.class)
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class NoAdminPasswordTest {

    public static class Unset implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("truffles.admin.password", "");
        }
    }

    @Test
    void mutatingCallsAnswer503SayingThePasswordIsNotSet() {
        given().header("Authorization", "Bearer anything").contentType("application/json")
                .body("{\"pattern\":\"x\"}")
                .when().post("/api/false-alarms")
                .then().statusCode(503).body("error", containsString("ADMIN_PASSWORD is not set"));
    }

    @Test
    void readsStillWork() {
        given().when().get("/api/settings").then().statusCode(200);
    }
}
