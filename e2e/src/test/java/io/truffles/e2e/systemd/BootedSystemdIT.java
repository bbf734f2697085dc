package io.truffles.e2e.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Truffles installed by {@code systemd/install.sh} on a real, booted systemd (Debian 12's, PID 1 of a systemd-nspawn
 * container): five units active and healthy under {@code truffles.target}, the api and its WebSocket through nginx on
 * port 80, a recording dropped in the inbox reaching {@code complete}, systemd restarting a killed service, a secret
 * saved through the api restarting the unit that reads it (through the polkit rule), and journald holding the logs.
 * The container runs the embedded MongoDB and S3 as units ({@code install.sh --embedded}, test only): production uses a
 * MongoDB replica set and a real bucket. Skips with one line where systemd-nspawn cannot boot (no cgroup access).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BootedSystemdIT {
    private static final List<String> UNITS = List.of("api", "poller", "renderer", "analyzer", "agent-runner");
    private static final List<Integer> PORTS = List.of(4000, 4001, 4002, 4003, 4004);
    private static final String ADMIN_PASSWORD = "booted-systemd-admin-password";
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final String SAMPLE = "poller/src/main/resources/samples/checkout-rage-click.rrweb.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BootedContainer container;

    @BeforeAll
    static void bootAndInstall() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "booting a container needs root");
        assumeTrue(Commands.installed("systemd-nspawn") && Commands.installed("debootstrap"),
                "systemd-nspawn or debootstrap missing (apt-get install systemd-container debootstrap)");
        long started = System.nanoTime();
        Commands.Result root = Commands.run(Duration.ofMinutes(15),
                Commands.home().resolve("systemd/test/nspawn-root.sh").toString());
        assertThat(root.exitCode()).as(root.describe()).isZero();
        Path rootDir = Path.of(root.output().strip().lines().reduce((first, last) -> last).orElseThrow());
        System.out.printf("BENCHMARK booted-systemd root ready in %d s (%s)%n", seconds(started), rootDir);
        try {
            container = BootedContainer.boot(rootDir, Commands.home());
        } catch (BootedContainer.CannotBoot cannot) {
            abort("systemd-nspawn cannot boot a container here (no cgroup access?): " + cannot.getMessage().lines()
                    .reduce((first, last) -> last).orElse(""));
        }
        System.out.printf("BENCHMARK booted-systemd booted at %d s%n", seconds(started));
        Commands.Result install = container.exec(Duration.ofMinutes(5), "/srv/truffles/systemd/install.sh",
                "--no-build", "--embedded");
        assertThat(install.exitCode()).as(install.describe()).isZero();
        Commands.Result configure = container.shell(SHORT, String.join(" && ",
                "sed -i 's/^#\\?ADMIN_PASSWORD=.*/ADMIN_PASSWORD=" + ADMIN_PASSWORD + "/' /etc/truffles/truffles.env",
                // the CLI the reactor installed, read in place rather than copied into the container
                "echo CLAUDE_CLI_PATH=/srv/truffles/agent-runner/claude-code/node_modules/@anthropic-ai/claude-code/bin/claude.exe"
                        + " >>/etc/truffles/truffles.env",
                // an empty clone for the agents' readiness: a real host clones the product's repository here
                "git init -q /var/lib/truffles/repo",
                // this inbox gets only the recording the test drops, not the poller's bundled sample
                "install -d -o truffles -g truffles /var/lib/truffles/inbox",
                "touch /var/lib/truffles/inbox/.samples-copied",
                "systemctl start truffles.target"));
        assertThat(configure.exitCode()).as(configure.describe()).isZero();
        System.out.printf("BENCHMARK booted-systemd installed and started at %d s%n", seconds(started));
    }

    @AfterAll
    static void powerOff() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    @Test
    @Order(1)
    void fiveUnitsAreActiveAndHealthy() throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < UNITS.size(); i++) {
            String unit = "truffles-" + UNITS.get(i);
            int port = PORTS.get(i);
            await(unit + " active and ready").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        assertThat(inside("systemctl is-active " + unit).output().strip()).isEqualTo("active");
                        assertThat(inside("curl -s http://127.0.0.1:" + port + "/q/health/ready").output())
                                .containsPattern("\"status\"\\s*:\\s*\"UP\"");
                    });
        }
        System.out.printf("BENCHMARK booted-systemd five units healthy %d s after the start%n", seconds(started));
        assertThat(inside("systemctl is-active truffles.target").output().strip()).isEqualTo("active");
    }

    @Test
    @Order(2)
    void theApiAndItsWebSocketAnswerThroughNginxOnPort80() throws Exception {
        Commands.Result sessions = inside("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/api/sessions");
        assertThat(sessions.output()).isEqualTo("200");

        Commands.Result socket = inside("curl -s -i -N --max-time 5 --http1.1 -H 'Connection: Upgrade' "
                + "-H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' "
                + "-H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' http://127.0.0.1/ws/agents");
        assertThat(socket.output()).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket")
                .contains("snapshot");

        Commands.Result metrics = inside("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/q/metrics");
        assertThat(metrics.output()).as("metrics stay on the services' own ports").isEqualTo("404");
    }

    @Test
    @Order(3)
    void aRecordingDroppedInTheInboxReachesComplete() throws Exception {
        byte[] recording = Files.readAllBytes(Commands.home().resolve(SAMPLE));
        // the inbox names a session after its file's content
        String id = "inbox-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(recording))
                .substring(0, 24);
        Commands.Result drop = inside("install -o truffles -g truffles -m 0640 /srv/truffles/" + SAMPLE
                + " /var/lib/truffles/inbox/dropped.rrweb.json");
        assertThat(drop.exitCode()).as(drop.describe()).isZero();

        JsonNode session = await("session " + id + " complete").atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(3))
                .until(() -> sessionNamed(id), found -> found != null && found.path("status").asText().equals("complete"));
        // the list carries no video (the session page loads it): its detail, through nginx, has the presigned URL
        JsonNode detail = JSON.readTree(inside("curl -s http://127.0.0.1/api/sessions/"
                + session.path("_id").asText()).output());
        assertThat(detail.path("videoUrl").asText()).as(detail.toString()).isNotEmpty();

        // each stage's service counted its part of the work
        assertThat(inside("curl -s http://127.0.0.1:4002/q/metrics").output())
                .containsPattern("truffles_queue_completions_total\\{[^}]*stage=\"render\"[^}]*\\} [1-9]")
                .contains("truffles_render_speedup_ratio_count");
        assertThat(inside("curl -s http://127.0.0.1:4003/q/metrics").output())
                .containsPattern("truffles_queue_completions_total\\{[^}]*stage=\"analyze\"[^}]*\\} [1-9]");
        assertThat(inside("curl -s http://127.0.0.1:4002/q/metrics").output())
                .containsPattern("truffles_queue_documents\\{collection=\"sessions\",[^}]*status=\"complete\"[^}]*\\} [1-9]");
    }

    @Test
    @Order(4)
    void systemdRestartsAServiceKilledWithSigkill() throws Exception {
        long before = mainPid("truffles-renderer");
        assertThat(before).isPositive();

        inside("kill -9 " + before);

        await("truffles-renderer restarted").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> mainPid("truffles-renderer"), pid -> pid > 0 && pid != before);
        await("truffles-renderer ready again").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> inside("curl -s http://127.0.0.1:4002/q/health/ready").output(),
                        health -> health.contains("\"UP\""));
        assertThat(inside("systemctl show -p NRestarts --value truffles-renderer").output().strip()).isEqualTo("1");
    }

    @Test
    @Order(5)
    void aSecretSavedThroughTheApiRestartsTheUnitThatReadsIt() throws Exception {
        long poller = mainPid("truffles-poller");
        long analyzer = mainPid("truffles-analyzer");

        Commands.Result saved = inside("curl -s --max-time 90 -X POST -H 'Authorization: Bearer " + ADMIN_PASSWORD
                + "' -H 'Content-Type: application/json' -d '{\"POSTHOG_HOST\": \"https://eu.posthog.com\"}' "
                + "http://127.0.0.1/api/settings/secrets");

        JsonNode answer = JSON.readTree(saved.output());
        assertThat(answer.path("restartedUnits").toString()).as(saved.describe()).isEqualTo("[\"truffles-poller\"]");
        assertThat(answer.path("restartSucceeded").asBoolean()).as(saved.describe()).isTrue();
        long restarted = mainPid("truffles-poller");
        assertThat(restarted).isPositive().isNotEqualTo(poller);
        assertThat(inside("tr '\\0' '\\n' </proc/" + restarted + "/environ").output()).contains("POSTHOG_HOST=https://eu.posthog.com");
        assertThat(mainPid("truffles-analyzer")).as("a unit that does not read the key keeps running").isEqualTo(analyzer);
        assertThat(inside("stat -c '%a %U' /etc/truffles/truffles.env").output().strip()).isEqualTo("600 truffles");
    }

    @Test
    @Order(6)
    void journaldHoldsEachServicesLogWithoutSecrets() throws Exception {
        Commands.Result journal = inside("journalctl -u truffles-api --no-pager -o cat");

        assertThat(journal.output()).contains("Listening on").contains("Wrote [POSTHOG_HOST]");
        assertThat(journal.output()).doesNotContain(ADMIN_PASSWORD);
        assertThat(inside("journalctl -u truffles-poller --no-pager -o cat").output()).contains("Listening on");
    }

    private static JsonNode sessionNamed(String posthogSessionId) throws Exception {
        Commands.Result listed = inside("curl -s http://127.0.0.1/api/sessions");
        for (JsonNode item : JSON.readTree(listed.output()).path("items")) {
            if (item.path("posthogSessionId").asText().equals(posthogSessionId)) {
                return item;
            }
        }
        return null;
    }

    private static long mainPid(String unit) throws Exception {
        return Long.parseLong(inside("systemctl show -p MainPID --value " + unit).output().strip());
    }

    private static Commands.Result inside(String script) throws Exception {
        return container.shell(SHORT, script);
    }

    private static long seconds(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
    }
}
