package io.truffles.renderer.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ChromiumReadinessTest {

    @Test
    void aChromiumThatIsNotThereIsDownWithTheSentenceToInstallIt() {
        HealthCheckResponse health = new ChromiumReadiness("/nonexistent/chromium", Clock.systemUTC()).call();

        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(health.getData().orElseThrow().get("error").toString())
                .contains("/nonexistent/chromium cannot be started", "apt-get install chromium", "renderer.chromium");
    }

    @Test
    void theSystemChromiumStartsHeadless() {
        HealthCheckResponse health = new ChromiumReadiness("/usr/bin/chromium", Clock.systemUTC()).call();

        assertThat(health.getStatus()).as(String.valueOf(health.getData())).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
