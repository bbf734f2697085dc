package io.truffles.analyzer.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * Model use by model, as Prometheus reads it: {@code truffles_model_calls_total{model,status}} (every HTTP answer,
 * retries included), {@code truffles_model_tokens_total{model,type}} (prompt, completion) and
 * {@code truffles_model_cost_dollars_total{model}} (OpenRouter's {@code usage.cost}, what the account is charged).
 */
final class ModelMeters {
    private static final MeterRegistry REGISTRY = Metrics.globalRegistry;

    private ModelMeters() {
    }

    static void answered(String model, int status, JsonNode usage) {
        Counter.builder("truffles.model.calls").tag("model", model).tag("status", String.valueOf(status))
                .description("Calls to OpenRouter by model and HTTP status").register(REGISTRY).increment();
        if (usage.isMissingNode()) {
            return;
        }
        tokens(model, "prompt").increment(usage.path("prompt_tokens").asLong(0));
        tokens(model, "completion").increment(usage.path("completion_tokens").asLong(0));
        Counter.builder("truffles.model.cost.dollars").tag("model", model)
                .description("US dollars OpenRouter charged, by model").register(REGISTRY)
                .increment(usage.path("cost").asDouble(0));
    }

    private static Counter tokens(String model, String type) {
        return Counter.builder("truffles.model.tokens").tag("model", model).tag("type", type)
                .description("Tokens by model: prompt (input) and completion (output)").register(REGISTRY);
    }
}
