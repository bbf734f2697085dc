package io.truffles.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Everything the api logs while admins fail, succeed and write secrets, read back for the secrets themselves. */
@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
class SecretsNotLoggedTest {
    private static final String PASSWORD = "test-admin-password-1234";
    private static final List<String> SECRETS = List.of(PASSWORD, "sk-or-v1-leakcheck-aaaa", "new-admin-pass-9999",
            "ghp_leakcheck_bbbb", "ghp_unquoted_cccc", "phx_refused_dddd", "test-admin-password-123");

    @Inject
    ApiConfig config;

    /** Every record any logger of this JVM publishes, formatted as the console would show it, with its stack trace. */
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(record.getLoggerName()).append(' ')
                    .append(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    text.append(" | ").append(parameter);
                }
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                text.append('\n').append(trace);
            }
            logged.add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() throws Exception {
        Path env = config.envFile();
        Files.createDirectories(env.toAbsolutePath().getParent());
        Files.writeString(env, "# Truffles\nGITHUB_TOKEN=ghp_old\n");
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("").removeHandler(capture);
    }

    private static RequestSpecification admin() {
        return given().header("X-Forwarded-For", "10.77.0.2").header("Authorization", "Bearer " + PASSWORD)
                .contentType("application/json");
    }

    @Test
    void neitherTheAdminPasswordNorAnySecretValueIsLogged() {
        // failed: a near miss, the password without "Bearer", and enough guesses from one address to be slowed down
        for (String header : List.of("Bearer test-admin-password-123", PASSWORD, "Bearer  " + PASSWORD,
                "Bearer test-admin-password-123", "Bearer test-admin-password-123")) {
            given().header("X-Forwarded-For", "10.77.0.1").header("Authorization", header)
                    .contentType("application/json").body("{\"GITHUB_TOKEN\":\"ghp_leakcheck_bbbb\"}")
                    .when().post("/api/settings/secrets").then().statusCode(org.hamcrest.Matchers.oneOf(401, 429));
        }
        // succeeded
        admin().body("{\"pattern\":\"harmless banner\"}")
                .when().post("/api/false-alarms").then().statusCode(201);
        admin().body("{\"maxConcurrentAgents\":4}")
                .when().post("/api/settings/runtime").then().statusCode(200);
        // secrets refused: a line break, unparseable JSON around a value, an unknown key
        admin().body("{\"POSTHOG_API_KEY\":\"phx_refused_dddd\\nX=1\"}")
                .when().post("/api/settings/secrets").then().statusCode(400);
        admin().body("{\"GITHUB_TOKEN\": ghp_unquoted_cccc}")
                .when().post("/api/settings/secrets").then().statusCode(400);
        admin().body("{\"SECRET_THING\":\"phx_refused_dddd\"}")
                .when().post("/api/settings/secrets").then().statusCode(400);
        // secrets written, the api's own unit among those restarted (a second later, logged when done)
        admin()
                .body("{\"OPENROUTER_API_KEY\":\"sk-or-v1-leakcheck-aaaa\",\"ADMIN_PASSWORD\":\"new-admin-pass-9999\","
                        + "\"GITHUB_TOKEN\":\"ghp_leakcheck_bbbb\"}")
                .when().post("/api/settings/secrets").then().statusCode(200);
        given().when().get("/api/settings").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> logged.stream().anyMatch(line -> line.contains("Restarted truffles-api after")));

        // the capture works: what was logged is there, by name
        assertThat(logged).anyMatch(line -> line.contains("Wrong admin password for POST /api/settings/secrets"));
        assertThat(logged).anyMatch(line -> line.contains("[OPENROUTER_API_KEY, ADMIN_PASSWORD, GITHUB_TOKEN]"));
        for (String secret : SECRETS) {
            assertThat(logged).as("log lines containing %s", secret).noneMatch(line -> line.contains(secret));
        }
    }
}
