package io.truffles.api.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dashboard as the packaged api serves it: Quinoa (off in the other tests) runs {@code npm ci}, the ui's Vitest
 * tests ({@code npm test}, a failure fails this build) and {@code npm run build}, then the api serves the result.
 */
@QuarkusTest
@TestProfile(UiServingTest.WithUi.class)
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class UiServingTest {

    public static class WithUi implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.quinoa", "true", "quarkus.quinoa.run-tests", "true");
        }
    }

    @Test
    void theDashboardIsServedAtTheRoot() {
        given().when().get("/").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("<div id=\"root\">"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sessions/6745d1c2e4b0a1b2c3d4e5f6", "/sessions/6745d1c2e4b0a1b2c3d4e5f6?t=42", "/issues",
            "/issues/6745d1c2e4b0a1b2c3d4e5f6", "/agents", "/agents/abc", "/false-alarms", "/settings/"})
    void everyRouteOfTheUiAnswersItsPageSoAReloadWorks(String path) {
        given().urlEncodingEnabled(false).when().get(path).then().log().ifValidationFails().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("<div id=\"root\">"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/nope", "/api/sessions/6745d1c2e4b0a1b2c3d4e5f6/nothing-here", "/api/",
        "/sessions/a/b/c", "/nothing-here"})
    void anUnknownPathIsAJson404NotThePage(String path) {
        given().when().get(path).then().statusCode(404)
                .contentType(startsWith("application/json"))
                .body("error", equalTo("No api route for GET " + path))
                .body(not(containsString("<div id=\"root\">")));
    }

    @Test
    void anUnknownApiPathIsAJson404ForEveryMethod() {
        given().contentType("application/json").body("{}").when().post("/api/nope").then().statusCode(404)
                .contentType(startsWith("application/json"));
    }

    @Test
    void theApiAndTheOperatorsEndpointsKeepTheirOwnAnswers() {
        given().when().get("/api/sessions").then().statusCode(200).contentType(startsWith("application/json"));
        given().when().get("/api/sessions/6745d1c2e4b0a1b2c3d4e5f6").then().statusCode(404)
                .body("error", equalTo("No session with id '6745d1c2e4b0a1b2c3d4e5f6'"));
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
