package io.truffles.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentCheckTest {

    @Test
    void aValidEnvironmentHasNoProblems() {
        assertThat(EnvironmentCheck.problems(Map.of(
                "MONGODB_URI", "mongodb://localhost:27017/truffles",
                "MAX_CONCURRENT_AGENTS", "5",
                "POSTHOG_HOST", "https://eu.posthog.com",
                "POSTHOG_API_KEY", "phx_abc", "POSTHOG_PROJECT_ID", "12345",
                "GITHUB_REPO", "plaibook-dev/ai-outbound-agent",
                "PORT", "4000"))).isEmpty();
    }

    @Test
    void emptyValuesCountAsUnset() {
        assertThat(EnvironmentCheck.problems(Map.of("MONGODB_URI", "", "MAX_CONCURRENT_AGENTS", " "))).isEmpty();
    }

    @Test
    void eachMalformedVariableIsOneLineNamingItAndWhatIsExpected() {
        assertThat(EnvironmentCheck.problems(Map.of("MAX_CONCURRENT_AGENTS", "lots", "PORT", "99999")))
                .containsExactlyInAnyOrder(
                        "MAX_CONCURRENT_AGENTS='lots' is not valid: expected a whole number from 0 to 50.",
                        "PORT='99999' is not valid: expected a whole number from 1 to 65535.");
    }

    @Test
    void aMalformedMongoUriIsReportedWithoutEchoingItsPossiblePassword() {
        assertThat(EnvironmentCheck.problems(Map.of("MONGODB_URI", "postgres://admin:hunter2@db/truffles")))
                .singleElement().asString()
                .startsWith("MONGODB_URI=<hidden> is not valid")
                .doesNotContain("hunter2");
    }

    @Test
    void halfOfAKeyPairIsReported() {
        assertThat(EnvironmentCheck.problems(Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")))
                .containsExactly("AWS_SECRET_ACCESS_KEY is not set: expected it together with AWS_ACCESS_KEY_ID.");
    }

    @Test
    void theAgentRunnersLimitsDurationsAndAddressesAreChecked() {
        assertThat(EnvironmentCheck.problems(Map.of("AGENT_MAX_TURNS", "30", "AGENT_MAX_BUDGET_USD", "2.5",
                "AGENT_LEASE_TTL", "PT60S", "PR_POLL_INTERVAL", "5m", "ANTHROPIC_BASE_URL", "http://127.0.0.1:9/api",
                "GITHUB_API_URL", "https://api.github.com"))).isEmpty();
        assertThat(EnvironmentCheck.problems(Map.of("AGENT_MAX_TURNS", "many", "AGENT_MAX_BUDGET_USD", "-1",
                "AGENT_LEASE_TTL", "a minute", "PR_POLL_INTERVAL", "PT", "GITHUB_API_URL", "api.github.com")))
                .containsExactlyInAnyOrder(
                        "AGENT_MAX_TURNS='many' is not valid: expected a whole number from 1 to 1000.",
                        "AGENT_MAX_BUDGET_USD='-1' is not valid: expected an amount in US dollars such as 2.5.",
                        "AGENT_LEASE_TTL='a minute' is not valid: expected a duration such as PT60S, 90s or 5m.",
                        "PR_POLL_INTERVAL='PT' is not valid: expected a duration such as PT60S, 90s or 5m.",
                        "GITHUB_API_URL='api.github.com' is not valid: expected an http(s) URL.");
    }

    @Test
    void aMalformedUrlWithCredentialsInItIsNotEchoed() {
        assertThat(EnvironmentCheck.problems(Map.of("S3_ENDPOINT", "ftp://minio:s3cret@storage.local")))
                .singleElement().asString().startsWith("S3_ENDPOINT=<hidden> is not valid").doesNotContain("s3cret");
    }
}
