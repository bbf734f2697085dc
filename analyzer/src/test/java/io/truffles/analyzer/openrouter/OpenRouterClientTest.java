package io.truffles.analyzer.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.truffles.core.testing.EmbeddedMongoResource;
import io.truffles.core.testing.EmbeddedS3Resource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedMongoResource.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(value = OpenRouterWireMock.class, restrictToAnnotatedClass = true)
class OpenRouterClientTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ANSWER = "{\"issues\":[{\"title\":\"Save does nothing\",\"timestamp\":12.5}]}";

    @Inject
    OpenRouterClient client;
    @Inject
    RecordingPause pause;

    WireMockServer openRouter;

    @BeforeEach
    void reset() {
        openRouter = OpenRouterWireMock.server();
        openRouter.resetAll();
        pause.clear();
    }

    @Test
    void aStructuredAnswerIsParsedAndItsCostRecorded() throws Exception {
        stub(STARTED, STARTED, 200, OpenRouterWireMock.recordedResponse(ANSWER), null);

        ModelReply reply = client.complete(call());

        assertThat(reply.answer().path("issues").path(0).path("title").asText()).isEqualTo("Save does nothing");
        assertThat(reply.costUsd()).isEqualTo(0.003534);
        assertThat(reply.model()).isEqualTo("google/gemini-3-pro-preview-20251117");
        // a dated version of the model asked for is that model: recorded as OpenRouter names it
        assertThat(reply.requestedModel()).isEqualTo("google/gemini-3-pro-preview");
        assertThat(reply.modelUsed()).isEqualTo("google/gemini-3-pro-preview-20251117");
        assertThat(reply.promptTokens()).isEqualTo(9);
        openRouter.verify(postRequestedFor(urlEqualTo("/api/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + OpenRouterWireMock.KEY))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.strict", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.provider.require_parameters", equalTo("true"))));
    }

    @Test
    void anAnswerThatIsNotJsonIsAskedForAgainOnceAndBothAttemptsAreCharged() throws Exception {
        // the recorded response as it came: prose, not the JSON the schema asks for
        stub(STARTED, "asked again", 200, OpenRouterWireMock.fixture("openrouter_response_gemini3pro_recorded.json"),
                null);
        stub("asked again", "answered", 200, OpenRouterWireMock.recordedResponse(ANSWER), null);

        ModelReply reply = client.complete(call());

        assertThat(reply.answer().has("issues")).isTrue();
        assertThat(reply.costUsd()).isEqualTo(0.003534 * 2);
        openRouter.verify(2, postRequestedFor(urlEqualTo("/api/v1/chat/completions")));
    }

    @Test
    void invalidJsonTwiceIsAFailedCallNotACrash() {
        stub(STARTED, STARTED, 200, OpenRouterWireMock.recordedResponse("not json {"), null);

        assertThatThrownBy(() -> client.complete(call()))
                .isInstanceOf(ModelCallException.class)
                .hasMessageContaining("not the JSON its schema asks for")
                .satisfies(error -> assertThat(((ModelCallException) error).stopsModelCalls()).isFalse());
    }

    @Test
    void aRateLimitIsWaitedOutForAsLongAsRetryAfterSays() throws Exception {
        stub(STARTED, "limited", 429, OpenRouterWireMock.fixture("openrouter_error_429.json"), "7");
        stub("limited", "answered", 200, OpenRouterWireMock.recordedResponse(ANSWER), null);

        ModelReply reply = client.complete(call());

        assertThat(reply.answer().has("issues")).isTrue();
        assertThat(pause.pauses()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void anErrorThatArrivesWithHttp200CountsAsAFailureAndIsRetried() throws Exception {
        String chunk = OpenRouterWireMock.fixture("openrouter_midstream_error_chunk.sse").strip()
                .substring("data: ".length());
        stub(STARTED, "failed", 200, chunk, null);
        stub("failed", "answered", 200, OpenRouterWireMock.recordedResponse(ANSWER), null);

        ModelReply reply = client.complete(call());

        assertThat(reply.answer().has("issues")).isTrue();
        assertThat(pause.pauses()).hasSize(1);
        openRouter.verify(2, postRequestedFor(urlEqualTo("/api/v1/chat/completions")));
    }

    @Test
    void aChoiceThatCarriesAnErrorIsAFailureEvenWithJsonContent() throws Exception {
        // the non-streaming form: HTTP 200, the choice's own error and finish_reason "error"; what the model had
        // written so far happens to be valid JSON, and must not be taken for the answer
        ObjectNode failed = (ObjectNode) JSON.readTree(OpenRouterWireMock.recordedResponse(ANSWER));
        ObjectNode choice = (ObjectNode) failed.path("choices").path(0);
        choice.put("finish_reason", "error");
        choice.putObject("error").put("code", 502).put("message", "Upstream provider stopped responding");
        stub(STARTED, STARTED, 200, failed.toString(), null);

        assertThatThrownBy(() -> client.complete(call()))
                .isInstanceOf(ModelCallException.class)
                .hasMessageContaining("failed while answering: Upstream provider stopped responding")
                .satisfies(error -> {
                    assertThat(((ModelCallException) error).stopsModelCalls()).isFalse();
                    // each failed attempt was still charged, and the charge is kept
                    assertThat(((ModelCallException) error).costUsd())
                            .isCloseTo(0.003534 * OpenRouterClient.MAX_ATTEMPTS, within(1e-9));
                });
        openRouter.verify(OpenRouterClient.MAX_ATTEMPTS, postRequestedFor(urlEqualTo("/api/v1/chat/completions")));
    }

    static ModelCall call() {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        schema.putObject("properties").putObject("issues").put("type", "array");
        return new ModelCall("google/gemini-3-pro-preview", "You review session recordings.",
                List.of(JSON.createObjectNode().put("type", "text").put("text", "What went wrong?")), "issues", schema);
    }

    void stub(String from, String to, int status, String body, String retryAfter) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
        if (retryAfter != null) {
            response.withHeader("Retry-After", retryAfter);
        }
        openRouter.stubFor(post(urlEqualTo("/api/v1/chat/completions")).inScenario("call")
                .whenScenarioStateIs(from).willSetStateTo(to).willReturn(response));
    }
}
