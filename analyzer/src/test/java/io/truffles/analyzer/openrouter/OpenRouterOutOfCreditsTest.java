package io.truffles.analyzer.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(value = OpenRouterWireMock.class, restrictToAnnotatedClass = true)
class OpenRouterOutOfCreditsTest {
    @Inject
    OpenRouterClient client;

    @Test
    void runningOutOfCreditsStopsModelCallsWithAClearReason() {
        OpenRouterWireMock.server().stubFor(post(urlEqualTo("/api/v1/chat/completions")).willReturn(aResponse()
                .withStatus(402).withHeader("Content-Type", "application/json")
                .withBody(OpenRouterWireMock.fixture("openrouter_error_402.json"))));

        assertThatThrownBy(() -> client.complete(OpenRouterClientTest.call()))
                .isInstanceOf(ModelCallException.class)
                .hasMessageContaining("out of credits")
                .satisfies(error -> assertThat(((ModelCallException) error).stopsModelCalls()).isTrue());

        assertThat(client.unavailableBecause()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("out of credits"));
        assertThatThrownBy(() -> client.complete(OpenRouterClientTest.call()))
                .isInstanceOf(ModelCallException.class).hasMessageContaining("out of credits");
        // the second call never reached OpenRouter
        OpenRouterWireMock.server().verify(1, postRequestedFor(urlEqualTo("/api/v1/chat/completions")));
    }
}
