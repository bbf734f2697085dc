package io.truffles.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.api.ApiTestData;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class AuthCheckResourceTest {

    @Test
    void theAdminPasswordIsAnswered204WithNoBody() {
        given().header("X-Forwarded-For", "10.62.0.1").header("Authorization", ApiTestData.ADMIN)
                .when().post("/api/auth/check")
                .then().statusCode(204).body(equalTo(""));
    }

    @Test
    void aWrongOrMissingPasswordIsAnswered401() {
        given().header("X-Forwarded-For", "10.62.0.2").header("Authorization", "Bearer wrong")
                .when().post("/api/auth/check")
                .then().statusCode(401).body("error", equalTo("Wrong admin password"));
        given().header("X-Forwarded-For", "10.62.0.3")
                .when().post("/api/auth/check")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }

    @Test
    void wrongPasswordsOnTheCheckAreSlowedDownLikeOnAnyAdminCallAndCountForThem() {
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "10.62.0.9").header("Authorization", "Bearer guess" + i)
                    .when().post("/api/auth/check")
                    .then().statusCode(401);
        }
        // the check is no free oracle: the guesser now waits, on the check and on every other admin route
        given().header("X-Forwarded-For", "10.62.0.9").header("Authorization", ApiTestData.ADMIN)
                .when().post("/api/auth/check")
                .then().statusCode(429).header("Retry-After", "1");
        given().header("X-Forwarded-For", "10.62.0.9").header("Authorization", ApiTestData.ADMIN)
                .when().delete("/api/false-alarms/0123456789abcdef01234567")
                .then().statusCode(429);
    }
}
