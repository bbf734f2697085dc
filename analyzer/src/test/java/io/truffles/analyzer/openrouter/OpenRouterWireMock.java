package io.truffles.analyzer.openrouter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A local OpenRouter: WireMock serving the recorded response shapes of ../shared/fixtures. */
public class OpenRouterWireMock implements QuarkusTestResourceLifecycleManager {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "sk-or-v1-test-0000000000000000cafe";
    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of("quarkus.rest-client.openrouter.url", server.baseUrl(),
                "truffles.openrouter.api-key", KEY);
    }

    public static WireMockServer server() {
        return server;
    }

    /** A fixture file of src/test/resources/openrouter. */
    public static String fixture(String name) {
        try (InputStream in = OpenRouterWireMock.class.getResourceAsStream("/openrouter/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded Gemini response with its content replaced, padded with whitespace the way OpenRouter sends it. */
    public static String recordedResponse(String content) {
        try {
            ObjectNode response = (ObjectNode) JSON.readTree(
                    OpenRouterWireMock.fixture("openrouter_response_gemini3pro_recorded.json"));
            ((ObjectNode) response.path("choices").path(0).path("message")).put("content", content);
            return "\n\n      \n" + response;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A chat completion whose structured output is named {@code schemaName} (each analysis names its own). */
    public static MappingBuilder completion(String schemaName) {
        return post(urlEqualTo("/api/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.name", equalTo(schemaName)));
    }

    /** A 200 with the recorded response carrying {@code content}. */
    public static ResponseDefinitionBuilder answer(String content) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(recordedResponse(content));
    }

    /** OpenRouter's model list: Gemini takes video, Kimi and Claude only images (see the fixture). */
    public static void serveModelList() {
        server.stubFor(get(urlEqualTo("/api/v1/models")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(fixture("openrouter_models_catalog.json"))));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
