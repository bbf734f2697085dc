package io.truffles.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class OperationsEndpointsTest {

    @Test
    void healthChecksMongoDbAndStorage() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.name", hasItem("storage"))
                .body("checks.name", hasItem(containsString("MongoDB")));
    }

    @Test
    void theOpenApiDocumentDescribesTheRoutesAndTheAdminScheme() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body(containsString("/api/agents/start"))
                .body(containsString("/api/settings/secrets"))
                .body(containsString("\"admin\""));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void prometheusMetricsIncludeHttpAndWebSocketClients() {
        given().when().get("/api/stats").then().statusCode(200);
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("truffles_ws_clients"));
    }
}
