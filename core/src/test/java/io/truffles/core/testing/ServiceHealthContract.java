package io.truffles.core.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

/**
 * What every service promises an operator: {@code /q/health} is UP, with the storage check among its checks, when
 * MongoDB and S3 are reachable. A service's test extends this as a {@code @QuarkusTest} with the embedded servers.
 */
public abstract class ServiceHealthContract {

    @Test
    void theServiceIsHealthyWithMongoAndStorageReachable() {
        given().when().get("/q/health")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("storage"));
    }
}
