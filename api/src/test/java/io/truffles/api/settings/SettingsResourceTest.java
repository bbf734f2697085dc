package io.truffles.api.settings;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.api.ApiConfig;
import io.truffles.api.ApiTestData;
import io.truffles.core.mongo.Documents;
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class SettingsResourceTest {
    private static final String ENV = """
            # Truffles
            # PostHog
            POSTHOG_API_KEY=phx_abcdefgh1234
            POSTHOG_PROJECT_ID=12345

            # OpenRouter (for analysis models)
            OPENROUTER_API_KEY=sk-or-old-value-9876
            MAX_CONCURRENT_AGENTS=5
            """;

    @Inject
    ApiConfig config;

    @Inject
    SettingsStore store;

    @Inject
    Documents documents;

    private Path env;

    @BeforeEach
    void writeEnv() throws Exception {
        env = config.envFile();
        Files.createDirectories(env.toAbsolutePath().getParent());
        Files.writeString(env, ENV);
    }

    @Test
    void settingsShowRuntimeValuesAndSecretsOnlyAsTheirLastFourCharacters() {
        String body = given().when().get("/api/settings")
                .then().statusCode(200)
                .body("secrets.POSTHOG_API_KEY", equalTo("••••1234"))
                .body("secrets.OPENROUTER_API_KEY", equalTo("••••9876"))
                .body("secrets.GITHUB_TOKEN", equalTo("not set"))
                // not even the last characters of the password that unlocks this page
                .body("secrets.ADMIN_PASSWORD", equalTo("set"))
                .body("environment.POSTHOG_PROJECT_ID", equalTo("12345"))
                .body("runtime.maxConcurrentAgents", org.hamcrest.Matchers.notNullValue())
                .extract().asString();
        assertThat(body).doesNotContain("phx_abcdefgh", "sk-or-old", "test-admin-password");
    }

    @Test
    void theLimitsShownAreTheOnesARuntimeChangeIsHeldTo() {
        io.restassured.path.json.JsonPath limits = given().when().get("/api/settings")
                .then().statusCode(200)
                .body("limits.models", contains("screeningModel", "textModel", "videoModelPrimary",
                        "videoModelSecondary"))
                .body("limits.autoFixSeverities", contains("red", "yellow"))
                .body("limits.modelName.maxLength", equalTo(200))
                .extract().jsonPath().setRootPath("limits");
        // every advertised bound is accepted and one step past it refused, so the form cannot disagree with the api
        for (String name : List.of("maxConcurrentAgents", "agentTimeoutMinutes", "pollingIntervalSeconds",
                "rendererConcurrency")) {
            int max = (int) limits.getDouble("numbers." + name + ".max");
            int min = (int) limits.getDouble("numbers." + name + ".min");
            given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                    .body("{\"" + name + "\":" + max + "}")
                    .when().post("/api/settings/runtime").then().statusCode(200);
            given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                    .body("{\"" + name + "\":" + (max + 1) + "}")
                    .when().post("/api/settings/runtime").then().statusCode(400).body("field", equalTo(name));
            given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                    .body("{\"" + name + "\":" + (min - 1) + "}")
                    .when().post("/api/settings/runtime").then().statusCode(400).body("field", equalTo(name));
            given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                    .body("{\"" + name + "\":" + min + "}")
                    .when().post("/api/settings/runtime").then().statusCode(200);
        }
        double budget = limits.getDouble("numbers.dailyModelBudgetUsd.max");
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"dailyModelBudgetUsd\":" + (budget + 0.01) + "}")
                .when().post("/api/settings/runtime").then().statusCode(400).body("field", equalTo("dailyModelBudgetUsd"));
        String pattern = limits.getString("modelName.pattern");
        assertThat("google/gemini-3-pro-preview").matches(pattern);
        assertThat("has space").doesNotMatch(pattern);
    }

    @Test
    void aRuntimeChangeIsValidatedAndWrittenToTheSettingsDocument() {
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"maxConcurrentAgents\":3,\"textModel\":\"openai/gpt-5\",\"autoFixSeverities\":[\"red\",\"yellow\"],"
                        + "\"dailyModelBudgetUsd\":12.5}")
                .when().post("/api/settings/runtime")
                .then().statusCode(200).body("maxConcurrentAgents", equalTo(3))
                .body("autoFixSeverities", contains("red", "yellow"));
        assertThat(store.read().maxConcurrentAgents).isEqualTo(3);
        assertThat(store.read().textModel).isEqualTo("openai/gpt-5");
        assertThat(store.read().dailyModelBudgetUsd).isEqualTo(12.5);
    }

    @Test
    void theCapsAndTheVideoPolicyAreValidatedAndTheNewCapsCanBeCleared() {
        try {
            given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                    .body("{\"dailyAgentBudgetUsd\":25,\"agentRunBudgetUsd\":2.5,\"monthlyBudgetUsd\":400,"
                            + "\"videoSessions\":\"sampled\",\"videoSamplePercent\":10}")
                    .when().post("/api/settings/runtime").then().statusCode(200)
                    .body("videoSessions", equalTo("sampled"));
            assertThat(store.read().dailyAgentBudgetUsd).isEqualTo(25.0);
            assertThat(store.read().agentRunBudgetUsd).isEqualTo(2.5);
            assertThat(store.read().monthlyBudgetUsd).isEqualTo(400.0);
            assertThat(store.read().videoSamplePercent).isEqualTo(10);

            for (String bad : List.of("{\"monthlyBudgetUsd\":-1}", "{\"agentRunBudgetUsd\":\"lots\"}",
                    "{\"dailyModelBudgetUsd\":null}", "{\"videoSessions\":\"some\"}",
                    "{\"videoSamplePercent\":101}")) {
                given().header("Authorization", ApiTestData.ADMIN).contentType("application/json").body(bad)
                        .when().post("/api/settings/runtime").then().statusCode(400);
            }
            given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                    .body("{\"monthlyBudgetUsd\":null}").when().post("/api/settings/runtime").then().statusCode(200);
            assertThat(store.read().monthlyBudgetUsd).as("no monthly cap").isNull();
            assertThat(store.read().agentRunBudgetUsd).isEqualTo(2.5);
            given().when().get("/api/settings").then().statusCode(200)
                    .body("limits.clearable", contains("dailyAgentBudgetUsd", "agentRunBudgetUsd", "monthlyBudgetUsd"))
                    .body("limits.videoSessions", contains("all", "signals", "sampled"))
                    .body("limits.numbers.monthlyBudgetUsd.max", equalTo(100000.0f));
        } finally {
            store.update(List.of(Updates.unset("dailyAgentBudgetUsd"), Updates.unset("agentRunBudgetUsd"),
                    Updates.unset("monthlyBudgetUsd"), Updates.set("videoSessions", "all")));
        }
    }

    @Test
    void anInvalidRuntimeChangeIs400NamingTheFieldAndChangesNothing() {
        int before = store.read().agentTimeoutMinutes;
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"agentTimeoutMinutes\":30,\"pollingIntervalSeconds\":-1}")
                .when().post("/api/settings/runtime")
                .then().statusCode(400).body("field", equalTo("pollingIntervalSeconds"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"agentTimeoutMinutes\":30,\"autoFixSeverities\":[\"green\"]}")
                .when().post("/api/settings/runtime")
                .then().statusCode(400).body("field", equalTo("autoFixSeverities"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"agentTimeoutMinutes\":30,\"OPENROUTER_API_KEY\":\"x\"}")
                .when().post("/api/settings/runtime")
                .then().statusCode(400).body("field", equalTo("OPENROUTER_API_KEY"));
        assertThat(store.read().agentTimeoutMinutes).isEqualTo(before);
        given().contentType("application/json").body("{\"agentTimeoutMinutes\":30}")
                .when().post("/api/settings/runtime").then().statusCode(401);
    }

    @Test
    void aSecretWriteRewritesEnvAtomicallyKeepingCommentsAndReportsTheUnitsRestarted() throws Exception {
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"OPENROUTER_API_KEY\":\"sk-or-new value'1\",\"GITHUB_TOKEN\":\"ghp_new5678\"}")
                .when().post("/api/settings/secrets")
                .then().statusCode(200)
                .body("written", contains("OPENROUTER_API_KEY", "GITHUB_TOKEN"))
                .body("restartedUnits", contains("truffles-analyzer", "truffles-agent-runner"))
                .body("restartSucceeded", equalTo(true))
                .body("restartOutput", containsString("restarting truffles-analyzer"))
                .body("restarts.unit", contains("truffles-analyzer", "truffles-agent-runner"))
                .body("restarts.state", contains("restarted", "restarted"))
                .body("restarts[1].output", equalTo("restarting truffles-agent-runner"));
        assertThat(Files.readString(env)).isEqualTo("""
                # Truffles
                # PostHog
                POSTHOG_API_KEY=phx_abcdefgh1234
                POSTHOG_PROJECT_ID=12345

                # OpenRouter (for analysis models)
                OPENROUTER_API_KEY='sk-or-new value'\\''1'
                MAX_CONCURRENT_AGENTS=5
                GITHUB_TOKEN=ghp_new5678
                """);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
        given().when().get("/api/settings").then().statusCode(200)
                .body("secrets.OPENROUTER_API_KEY", equalTo("••••ue'1"))
                .body("secrets.GITHUB_TOKEN", equalTo("••••5678"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/settings/runtime | {\"maxConcurrentAgents\": 3 | body",
        "/api/settings/runtime | '' | body",
        "/api/settings/runtime | {} | body",
        "/api/settings/runtime | [3] | body",
        "/api/settings/runtime | null | body",
        "/api/settings/runtime | {\"maxConcurrentAgents\": 3, \"textModel\": 5} | textModel",
        "/api/settings/runtime | {\"maxConcurrentAgents\": \"3\"} | maxConcurrentAgents",
        "/api/settings/secrets | {\"GITHUB_TOKEN\": \"ghp_x | body",
        "/api/settings/secrets | '' | body",
        "/api/settings/secrets | {} | body",
        "/api/settings/secrets | [\"GITHUB_TOKEN\"] | body",
        "/api/settings/secrets | {\"POSTHOG_API_KEY\": \"phx_new\", \"GITHUB_TOKEN\": 5} | GITHUB_TOKEN",
        "/api/settings/secrets | {\"POSTHOG_API_KEY\": \"phx_new\", \"GITHUB_TOKEN\": null} | GITHUB_TOKEN",
        "/api/settings/secrets | {\"POSTHOG_API_KEY\": {\"value\": \"phx_new\"}} | POSTHOG_API_KEY"})
    void aBodyThatIsMalformedEmptyOrOfTheWrongTypeIs400NamingTheFieldAndWritesNothing(String path, String body,
            String field) throws Exception {
        Map<String, List<Document>> before = ApiTestData.everything(documents);
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json").body(body)
                .when().post(path)
                .then().statusCode(400).body("field", equalTo(field)).body("error", startsWith(field + ": "));
        assertThat(ApiTestData.everything(documents)).isEqualTo(before);
        assertThat(Files.readString(env)).isEqualTo(ENV);
    }

    @Test
    void oversizedBodiesAre413AndWriteNothing() throws Exception {
        Map<String, List<Document>> before = ApiTestData.everything(documents);
        // with Expect: 100-continue the api answers 413 from the Content-Length before the body is sent, so the
        // client never writes into a connection the server closed (a busy machine saw a broken pipe, not the 413)
        given().header("Expect", "100-continue")
                .header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"GITHUB_TOKEN\":\"" + "x".repeat(300_000) + "\"}")
                .when().post("/api/settings/secrets").then().statusCode(413);
        given().header("Expect", "100-continue")
                .header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"textModel\":\"" + "x".repeat(300_000) + "\"}")
                .when().post("/api/settings/runtime").then().statusCode(413);
        assertThat(ApiTestData.everything(documents)).isEqualTo(before);
        assertThat(Files.readString(env)).isEqualTo(ENV);
    }

    @Test
    void unknownKeysAndLineBreaksAreRefusedAndTheFileIsUntouched() throws Exception {
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"GITHUB_TOKEN\":\"ok\",\"LD_PRELOAD\":\"/tmp/evil.so\"}")
                .when().post("/api/settings/secrets")
                .then().statusCode(400).body("field", equalTo("LD_PRELOAD"));
        given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                .body("{\"GITHUB_TOKEN\":\"ok\\nLD_PRELOAD=/tmp/evil.so\"}")
                .when().post("/api/settings/secrets")
                .then().statusCode(400).body("field", equalTo("GITHUB_TOKEN"));
        for (String lineBreak : List.of("\\u0085", "\\u2028", "\\u2029")) {
            given().header("Authorization", ApiTestData.ADMIN).contentType("application/json")
                    .body("{\"GITHUB_TOKEN\":\"ok" + lineBreak + "LD_PRELOAD=/tmp/evil.so\"}")
                    .when().post("/api/settings/secrets")
                    .then().statusCode(400).body("field", equalTo("GITHUB_TOKEN"));
        }
        assertThat(Files.readString(env)).isEqualTo(ENV);
    }
}
