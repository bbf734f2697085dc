package io.truffles.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
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
class AdminAuthTest {

    @Test
    void aMutatingCallWithoutATokenIsRefusedWith401SayingWhatToSend() {
        given().header("X-Forwarded-For", "10.0.0.1").contentType("application/json").body("{\"pattern\":\"x\"}")
                .when().post("/api/false-alarms")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("error", containsString("Authorization: Bearer"));
    }

    @Test
    void aWrongTokenIsRefusedWith401() {
        given().header("X-Forwarded-For", "10.0.0.2").header("Authorization", "Bearer wrong")
                .contentType("application/json").body("{\"pattern\":\"x\"}")
                .when().post("/api/false-alarms")
                .then().statusCode(401).body("error", equalTo("Wrong admin password"));
    }

    @Test
    void theRightTokenIsLetThrough() {
        given().header("X-Forwarded-For", "10.0.0.3").header("Authorization", ApiTestData.ADMIN)
                .contentType("application/json").body("{\"pattern\":\"known flaky banner\"}")
                .when().post("/api/false-alarms")
                .then().statusCode(201).body("pattern", equalTo("known flaky banner"));
    }

    @Test
    void readsNeedNoToken() {
        given().when().get("/api/false-alarms").then().statusCode(200);
    }

    @Test
    void repeatedWrongPasswordsFromOneAddressAreMadeToWaitWhileOtherAddressesAreNot() {
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "10.0.0.9").header("Authorization", "Bearer guess" + i)
                    .when().delete("/api/false-alarms/0123456789abcdef01234567")
                    .then().statusCode(401);
        }
        // the guesser must now wait, even with the right password, so guessing is slow
        given().header("X-Forwarded-For", "10.0.0.9").header("Authorization", ApiTestData.ADMIN)
                .when().delete("/api/false-alarms/0123456789abcdef01234567")
                .then().statusCode(429).header("Retry-After", "1");
        // someone else is unaffected
        given().header("X-Forwarded-For", "10.0.0.10").header("Authorization", ApiTestData.ADMIN)
                .when().delete("/api/false-alarms/0123456789abcdef01234567")
                .then().statusCode(404);
    }

    @Test
    void aGuesserRotatingTheFirstForwardedForElementIsStillSlowedDownByTheAddressTheProxyAppended() {
        // the test client connects from 127.0.0.1, the trusted proxy: what it appended last is the client
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", "6.6.6." + i + ", 10.0.0.77").header("Authorization", "Bearer guess" + i)
                    .when().delete("/api/false-alarms/0123456789abcdef01234567")
                    .then().statusCode(401);
        }
        given().header("X-Forwarded-For", "6.6.6.99, 10.0.0.77").header("Authorization", ApiTestData.ADMIN)
                .when().delete("/api/false-alarms/0123456789abcdef01234567")
                .then().statusCode(429);
    }

    @Test
    void thePasswordsAreComparedByDigestSoLengthDoesNotMatter() {
        org.assertj.core.api.Assertions.assertThat(AdminAuthFilter.sameInConstantTime("abc", "abc")).isTrue();
        org.assertj.core.api.Assertions.assertThat(AdminAuthFilter.sameInConstantTime("abc", "abcd")).isFalse();
    }
}
