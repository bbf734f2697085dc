package io.truffles.api.settings;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.api.ApiTestData;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import io.truffles.core.testing.JavaProcess;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
/** Starts a second JVM that follows the settings the way every other service does. */
class RuntimeSettingsAcrossProcessesIT {
    @ConfigProperty(name = "truffles.mongodb.uri")
    String mongoUri;

    @Test
    void aRuntimeSettingChangedThroughTheApiIsSeenByAnotherProcessWithinTwoSeconds() throws Exception {
        try (JavaProcess service = JavaProcess.start(LiveSettingsReaderProcess.class, mongoUri)) {
            service.awaitLine("READY", 60);
            given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                    .body("{\"maxConcurrentAgents\":7}")
                    .when().post("/api/settings/runtime")
                    .then().statusCode(200);
            long written = System.nanoTime();
            service.awaitLine("SETTING maxConcurrentAgents=7", 2);
            long millis = (System.nanoTime() - written) / 1_000_000;
            System.out.println("runtime setting seen by another process after " + millis + " ms");
            assertThat(millis).isLessThan(2000);
        }
    }
}
