package io.truffles.analyzer.openrouter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.core.config.Secret;
import io.truffles.core.config.TrufflesConfig;
import io.truffles.core.json.JsonMapping;
import io.truffles.core.retry.Pause;
import io.truffles.core.retry.RetryWaits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Calls OpenRouter for structured answers and owns what the wire makes hard: retries with back-off, 429/503
 * Retry-After, errors that arrive with HTTP 200, answers that are not valid JSON (asked again once), cost
 * accounting across attempts, and stopping all model calls when the key is rejected or the credits are gone.
 */
@ApplicationScoped
public class OpenRouterClient {
    private static final Logger LOG = Logger.getLogger(OpenRouterClient.class);
    private static final ObjectMapper JSON = JsonMapping.shared();
    static final int MAX_ATTEMPTS = 4;
    /** Out of credits may be fixed by a top-up at any time; look again after this. */
    static final Duration OUT_OF_CREDITS_PAUSE = Duration.ofMinutes(15);

    private final OpenRouterApi api;
    private final Optional<Secret> key;
    private final Pause pause;
    private final RetryWaits waits;
    private final Clock clock;
    private volatile String stoppedBecause;
    private volatile Instant stoppedUntil = Instant.MIN;
    /** Model id → its input modalities, read once from {@code GET /api/v1/models}. */
    private volatile Map<String, Set<String>> inputModalities;

    OpenRouterClient(@RestClient OpenRouterApi api, TrufflesConfig config, Pause pause, Clock clock) {
        this.api = api;
        this.key = config.openrouter().apiKey();
        this.pause = pause;
        this.waits = new RetryWaits(config.openrouter().backOff(), config.openrouter().maxWait(), clock);
        this.clock = clock;
    }

    /** Why model calls cannot be made right now, if they cannot. */
    public Optional<String> unavailableBecause() {
        if (key.isEmpty()) {
            return Optional.of("OPENROUTER_API_KEY is not set");
        }
        return clock.instant().isBefore(stoppedUntil) ? Optional.of(stoppedBecause) : Optional.empty();
    }

    public ModelReply complete(ModelCall call) throws ModelCallException, InterruptedException {
        Optional<String> unavailable = unavailableBecause();
        if (unavailable.isPresent()) {
            throw new ModelCallException(unavailable.get(), true, 0);
        }
        String body = requestBody(call);
        double spent = 0;
        boolean askedAgainForJson = false;
        String lastProblem = "";
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Response response;
            try {
                response = api.complete("Bearer " + key.get().reveal(), "Truffles", body);
            } catch (WebApplicationException error) {
                response = error.getResponse();
            } catch (ProcessingException unreachable) {
                lastProblem = "OpenRouter unreachable (" + unreachable.getMessage() + ")";
                pause.pause(waits.backOff(attempt));
                continue;
            }
            int status = response.getStatus();
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode json = parse(text);
            ModelMeters.answered(call.model(), status, json.path("usage"));
            if (status == 200) {
                spent += json.path("usage").path("cost").asDouble(0);
                String midGenerationError = midGenerationError(json);
                if (midGenerationError != null) {
                    lastProblem = call.model() + " failed while answering: " + midGenerationError;
                    pause.pause(waits.backOff(attempt));
                    continue;
                }
                String content = json.path("choices").path(0).path("message").path("content").asText("");
                Optional<JsonNode> answer = parseObject(content);
                if (answer.isPresent()) {
                    JsonNode usage = json.path("usage");
                    return new ModelReply(json.path("model").asText(call.model()), call.model(), answer.get(),
                            content, usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(),
                            spent);
                }
                if (askedAgainForJson) {
                    throw new ModelCallException(call.model() + " answered with text that is not the JSON its schema "
                            + "asks for, twice; this call is recorded as failed.", false, spent);
                }
                askedAgainForJson = true;
                lastProblem = call.model() + " answered with invalid JSON";
                continue;
            }
            String message = errorMessage(json, text, status);
            switch (status) {
                case 401 -> throw stop("OpenRouter rejected OPENROUTER_API_KEY (401: " + message + "); model calls "
                        + "are stopped until the key is fixed and the analyzer restarted.", Instant.MAX, spent);
                case 402 -> throw stop("The OpenRouter account is out of credits (402: " + message + "); model "
                        + "calls are stopped for " + OUT_OF_CREDITS_PAUSE.toMinutes() + " minutes, detectors carry on.",
                        clock.instant().plus(OUT_OF_CREDITS_PAUSE), spent);
                case 408, 429, 500, 502, 503, 504 -> {
                    lastProblem = "HTTP " + status + ": " + message;
                    pause.pause(waits.after(attempt, response.getHeaderString("Retry-After")));
                }
                default -> throw new ModelCallException("OpenRouter refused the call to " + call.model() + " (HTTP "
                        + status + ": " + message + ")", false, spent);
            }
        }
        throw new ModelCallException("OpenRouter gave no answer from " + call.model() + " after " + MAX_ATTEMPTS
                + " attempts; the last: " + lastProblem, false, spent);
    }

    /**
     * What {@code model} takes as input ({@code text}, {@code image}, {@code video}, …), from OpenRouter's model list,
     * which is read once and kept; empty when OpenRouter does not list the model.
     */
    public Optional<Set<String>> inputModalities(String model) throws ModelCallException {
        Map<String, Set<String>> catalog = inputModalities;
        if (catalog == null) {
            catalog = readCatalog();
            inputModalities = catalog;
        }
        return Optional.ofNullable(catalog.get(model));
    }

    private synchronized Map<String, Set<String>> readCatalog() throws ModelCallException {
        if (inputModalities != null) {
            return inputModalities;
        }
        Optional<String> unavailable = unavailableBecause();
        if (unavailable.isPresent()) {
            throw new ModelCallException(unavailable.get(), true, 0);
        }
        Response response;
        try {
            response = api.models("Bearer " + key.get().reveal());
        } catch (WebApplicationException error) {
            response = error.getResponse();
        } catch (ProcessingException unreachable) {
            throw new ModelCallException("OpenRouter's model list is unreachable (" + unreachable.getMessage() + ")",
                    false, 0);
        }
        String text = response.hasEntity() ? response.readEntity(String.class) : "";
        if (response.getStatus() != 200) {
            throw new ModelCallException("OpenRouter's model list answered HTTP " + response.getStatus() + ": "
                    + errorMessage(parse(text), text, response.getStatus()), false, 0);
        }
        Map<String, Set<String>> catalog = new HashMap<>();
        for (JsonNode model : parse(text).path("data")) {
            Set<String> modalities = new HashSet<>();
            model.path("architecture").path("input_modalities").forEach(modality -> modalities.add(modality.asText()));
            catalog.put(model.path("id").asText(), Set.copyOf(modalities));
        }
        if (catalog.isEmpty()) {
            throw new ModelCallException("OpenRouter's model list came back empty", false, 0);
        }
        return Map.copyOf(catalog);
    }

    private ModelCallException stop(String reason, Instant until, double spent) {
        stoppedBecause = reason;
        stoppedUntil = until;
        LOG.error(reason);
        return new ModelCallException(reason, true, spent);
    }

    static String requestBody(ModelCall call) {
        ObjectNode body = JSON.createObjectNode().put("model", call.model());
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", call.system());
        ObjectNode user = messages.addObject().put("role", "user");
        user.putArray("content").addAll(call.userParts());
        ObjectNode schema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema");
        schema.put("name", call.schemaName()).put("strict", true).set("schema", call.schema());
        // route only to providers that honour response_format, so the answer really follows the schema
        body.putObject("provider").put("require_parameters", true);
        return body.toString();
    }

    /** An error reported inside a 200 response: {@code choices[].error}, a top-level error, or finish_reason error. */
    private static String midGenerationError(JsonNode json) {
        JsonNode choice = json.path("choices").path(0);
        JsonNode error = choice.has("error") ? choice.get("error") : json.get("error");
        if (error != null && !error.isNull()) {
            return error.path("message").asText(error.toString());
        }
        return "error".equals(choice.path("finish_reason").asText()) ? "finish_reason error" : null;
    }

    private static JsonNode parse(String text) {
        try {
            // OpenRouter pads bodies with whitespace while the model thinks; Jackson skips it
            return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (JsonProcessingException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static Optional<JsonNode> parseObject(String content) {
        String trimmed = content.strip();
        // some models wrap JSON in a Markdown fence despite the schema
        if (trimmed.startsWith("```")) {
            trimmed = trimmed.replaceFirst("^```(json)?\\s*", "").replaceFirst("\\s*```$", "");
        }
        try {
            JsonNode node = JSON.readTree(trimmed);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException invalid) {
            return Optional.empty();
        }
    }

    private static String errorMessage(JsonNode json, String text, int status) {
        String message = json.path("error").path("message").asText("");
        if (!message.isEmpty()) {
            return message;
        }
        return text.isBlank() ? "no body" : text.strip().substring(0, Math.min(200, text.strip().length()));
    }
}
