package io.truffles.analyzer.openrouter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A model's parsed answer and what it cost.
 *
 * @param model   the model that answered, as OpenRouter resolved it (dated)
 * @param answer  the structured answer, parsed
 * @param costUsd {@code usage.cost} summed over every attempt this answer took, failed ones included
 */
public record ModelReply(String model, JsonNode answer, String raw, long promptTokens, long completionTokens,
        double costUsd) {
}
