package io.truffles.analyzer.openrouter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A model's parsed answer and what it cost.
 *
 * @param model          the model that answered, as OpenRouter reports it (dated)
 * @param requestedModel the model the call asked for
 * @param answer         the structured answer, parsed
 * @param costUsd        {@code usage.cost} summed over every attempt this answer took, failed ones included
 */
public record ModelReply(String model, String requestedModel, JsonNode answer, String raw, long promptTokens,
        long completionTokens, double costUsd) {

    /**
     * The model to record as having produced this answer: the one OpenRouter reports, which is what really ran. When
     * that is not the requested model (or a dated version of it), the requested one is named too, so a routing
     * surprise or a misconfigured slug shows on the issue instead of hiding behind either name.
     */
    public String modelUsed() {
        if (model.equals(requestedModel) || model.startsWith(requestedModel + "-")) {
            return model;
        }
        return model + " (requested " + requestedModel + ")";
    }
}
