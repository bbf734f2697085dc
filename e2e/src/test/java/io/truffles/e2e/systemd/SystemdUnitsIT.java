package io.truffles.e2e.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The files under {@code systemd/} as systemd and nginx read them: every unit passes {@code systemd-analyze verify},
 * each service's exposure ({@code systemd-analyze security --offline=true}) is within its target, and the nginx site
 * passes {@code nginx -t}. Prints the scores the README quotes.
 */
class SystemdUnitsIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Path SYSTEMD = Commands.home().resolve("systemd");
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+)");

    @Test
    void everyUnitPassesSystemdAnalyzeVerify() throws Exception {
        assumeTrue(Commands.installed("systemd-analyze"), "systemd-analyze is not installed (apt-get install systemd)");
        for (String unit : List.of("truffles.target", "truffles-api.service", "truffles-poller.service",
                "truffles-renderer.service", "truffles-analyzer.service", "truffles-agent-runner.service")) {
            Commands.Result verify = Commands.run(LIMIT, "systemd-analyze", "verify", SYSTEMD.resolve(unit).toString());

            assertThat(verify.exitCode()).as(verify.describe()).isZero();
            assertThat(verify.output()).as(verify.describe()).doesNotContainIgnoringCase(unit);
        }
    }

    /** The agent-runner's target is what bubblewrap leaves: root with seven capabilities and namespaces allowed. */
    @ParameterizedTest
    @CsvSource({"api, 2.5", "poller, 2.5", "renderer, 2.5", "analyzer, 2.5", "agent-runner, 4.5"})
    void exposureIsWithinTheTarget(String service, String threshold) throws Exception {
        assumeTrue(Commands.installed("systemd-analyze"), "systemd-analyze is not installed (apt-get install systemd)");
        String unit = SYSTEMD.resolve("truffles-" + service + ".service").toString();
        // the threshold is in tenths: 2.5 is 25
        int tenths = Math.round(Float.parseFloat(threshold) * 10);
        Commands.Result security = Commands.run(LIMIT, "systemd-analyze", "security", "--offline=true",
                "--threshold=" + tenths, "--no-pager", unit);

        Matcher score = EXPOSURE.matcher(security.output());
        assertThat(score.find()).as(security.describe()).isTrue();
        System.out.printf("SECURITY truffles-%s.service exposure %s (target <= %s)%n", service, score.group(1),
                threshold);
        assertThat(security.exitCode()).as(security.describe()).isZero();
        assertThat(Float.parseFloat(score.group(1))).isLessThanOrEqualTo(Float.parseFloat(threshold));
    }

    @Test
    void theNginxSiteIsValid(@TempDir Path prefix) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed (apt-get install nginx)");
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, """
                error_log stderr;
                pid %s/nginx.pid;
                events {}
                http {
                    include /etc/nginx/mime.types;
                    include %s;
                }
                """.formatted(prefix, SYSTEMD.resolve("nginx/truffles.conf")));

        Commands.Result test = Commands.run(LIMIT, "/usr/sbin/nginx", "-t", "-p", prefix.toString(), "-c",
                conf.toString());

        assertThat(test.exitCode()).as(test.describe()).isZero();
        assertThat(test.output()).contains("test is successful");
    }

    /** nginx refuses bodies the api would refuse anyway: the two limits are the same number. */
    @Test
    void nginxBodyLimitMatchesTheApis() throws Exception {
        String site = Files.readString(SYSTEMD.resolve("nginx/truffles.conf"));
        String api = Files.readString(Commands.home().resolve("api/src/main/resources/application.properties"));

        Matcher nginx = Pattern.compile("(?m)^\\s*client_max_body_size (\\d+)k;").matcher(site);
        Matcher quarkus = Pattern.compile("(?m)^quarkus\\.http\\.limits\\.max-body-size=(\\d+)K$").matcher(api);
        assertThat(nginx.find()).as("client_max_body_size in the site").isTrue();
        assertThat(quarkus.find()).as("max-body-size in the api").isTrue();
        assertThat(nginx.group(1)).isEqualTo(quarkus.group(1));
    }
}
