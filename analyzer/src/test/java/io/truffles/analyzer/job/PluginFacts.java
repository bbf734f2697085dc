package io.truffles.analyzer.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.NetworkFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the poller stores on a session from the recording's plugin events (its FactsCollector, which the analyzer
 * cannot depend on): console errors from {@code rrweb/console@1} and failed requests from {@code rrweb/network@1}.
 */
public record PluginFacts(List<ConsoleError> errors, List<NetworkFailure> failures) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static PluginFacts of(JsonNode events) throws IOException {
        long start = events.get(0).get("timestamp").asLong();
        String page = null;
        List<ConsoleError> errors = new ArrayList<>();
        List<NetworkFailure> failures = new ArrayList<>();
        for (JsonNode event : events) {
            JsonNode data = event.path("data");
            if (event.path("type").asInt() == 4) {
                page = data.path("href").asText();
            }
            if (event.path("type").asInt() != 6) {
                continue;
            }
            double offset = (event.get("timestamp").asLong() - start) / 1000.0;
            if ("rrweb/console@1".equals(data.path("plugin").asText())
                    && "error".equals(data.path("payload").path("level").asText())) {
                ConsoleError error = new ConsoleError();
                List<String> parts = new ArrayList<>();
                for (JsonNode argument : data.path("payload").path("payload")) {
                    JsonNode value = JSON.readTree(argument.asText());
                    parts.add(value.isTextual() ? value.asText() : value.toString());
                }
                error.message = String.join(" ", parts);
                error.stack = data.path("payload").path("trace").path(0).asText(null);
                error.url = page;
                error.offsetSeconds = offset;
                errors.add(error);
            } else if ("rrweb/network@1".equals(data.path("plugin").asText())) {
                for (JsonNode request : data.path("payload").path("requests")) {
                    int status = request.path("status").asInt();
                    if (status == 0 || status >= 400) {
                        NetworkFailure failure = new NetworkFailure();
                        failure.method = request.path("method").asText();
                        failure.url = request.path("name").asText();
                        failure.status = status;
                        failure.offsetSeconds = offset;
                        failures.add(failure);
                    }
                }
            }
        }
        return new PluginFacts(errors, failures);
    }
}
