package io.truffles.analyzer.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One structured request to a model: a system prompt, the user message's content parts (text first, then any
 * {@code image_url} / {@code video_url} parts), and the JSON schema its answer must follow.
 */
public record ModelCall(String model, String system, List<JsonNode> userParts, String schemaName, JsonNode schema) {
}
