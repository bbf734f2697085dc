package io.truffles.poller.extract;

import static io.truffles.core.rrweb.Rrweb.CONSOLE_PLUGIN;
import static io.truffles.core.rrweb.Rrweb.META;
import static io.truffles.core.rrweb.Rrweb.NETWORK_PLUGIN;
import static io.truffles.core.rrweb.Rrweb.PLUGIN;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.redaction.Redaction;
import io.truffles.poller.decode.EventObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.HashMap;

/**
 * Collects console errors ({@code rrweb/console@1}, level error) and failed requests ({@code rrweb/network@1}: status
 * 400 or more, or 0 / no response) while the decoder reads a recording, and redacts every captured request in place
 * so the stored events carry no credentials either. Events arrive in file order, so offsets are computed at the end,
 * from the recording's first event.
 */
public final class FactsCollector implements EventObserver {
    private static final int MAX_MESSAGE_CHARS = 4000;
    private static final int MAX_STACK_CHARS = 8000;

    private final ObjectMapper json;
    private final List<Timed<ConsoleError>> consoleErrors = new ArrayList<>();
    private final List<Timed<NetworkFailure>> networkFailures = new ArrayList<>();
    /** Per window: the page (Meta href) from each time on, to name the page an error happened on. */
    private final Map<String, TreeMap<Long, String>> pages = new HashMap<>();

    public FactsCollector(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public boolean observe(ObjectNode event, String windowId, long timestamp) {
        int type = event.path("type").asInt(-1);
        if (type == META && event.path("data").path("href").isTextual()) {
            pages.computeIfAbsent(window(windowId), key -> new TreeMap<>())
                    .put(timestamp, Redaction.url(event.get("data").get("href").asText()));
        } else if (type == PLUGIN) {
            JsonNode data = event.path("data");
            String plugin = data.path("plugin").asText("");
            if (CONSOLE_PLUGIN.equals(plugin)) {
                console(data.path("payload"), windowId, timestamp);
            } else if (NETWORK_PLUGIN.equals(plugin)) {
                network(data.path("payload"), timestamp);
                return true;
            }
        }
        return false;
    }

    /** The facts, with offsets from {@code recordingStart} (epoch milliseconds), each list in time order. */
    public SessionFacts facts(long recordingStart) {
        List<ConsoleError> errors = new ArrayList<>();
        consoleErrors.sort(Comparator.comparingLong(Timed::timestamp));
        for (Timed<ConsoleError> timed : consoleErrors) {
            ConsoleError error = timed.value();
            error.time = Instant.ofEpochMilli(timed.timestamp());
            error.offsetSeconds = offset(timed.timestamp(), recordingStart);
            if (error.url == null) {
                error.url = pageAt(timed.windowId(), timed.timestamp());
            }
            errors.add(error);
        }
        List<NetworkFailure> failures = new ArrayList<>();
        networkFailures.sort(Comparator.comparingLong(Timed::timestamp));
        for (Timed<NetworkFailure> timed : networkFailures) {
            NetworkFailure failure = timed.value();
            failure.time = Instant.ofEpochMilli(timed.timestamp());
            failure.offsetSeconds = offset(timed.timestamp(), recordingStart);
            failures.add(failure);
        }
        String firstUrl = pages.values().stream().map(TreeMap::firstEntry)
                .min(Comparator.comparingLong(Map.Entry::getKey)).map(Map.Entry::getValue).orElse(null);
        return new SessionFacts(errors, failures, firstUrl);
    }

    private void console(JsonNode payload, String windowId, long timestamp) {
        if (!"error".equals(payload.path("level").asText())) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode argument : payload.path("payload")) {
            parts.add(argument(argument));
        }
        ConsoleError error = new ConsoleError();
        error.message = cut(Redaction.text(String.join(" ", parts)), MAX_MESSAGE_CHARS);
        List<String> trace = new ArrayList<>();
        for (JsonNode frame : payload.path("trace")) {
            trace.add(frame.asText());
        }
        error.stack = trace.isEmpty() ? null : cut(Redaction.text(String.join("\n", trace)), MAX_STACK_CHARS);
        consoleErrors.add(new Timed<>(timestamp, window(windowId), error));
    }

    /** Each argument is the JSON.stringify of the logged value: a string reads as its text, anything else as JSON. */
    private String argument(JsonNode argument) {
        if (!argument.isTextual()) {
            return argument.toString();
        }
        try {
            JsonNode value = json.readTree(argument.asText());
            if (value == null || value.isMissingNode()) {
                return argument.asText();
            }
            return value.isTextual() ? value.asText() : value.toString();
        } catch (JsonProcessingException notJson) {
            return argument.asText();
        }
    }

    private void network(JsonNode payload, long eventTimestamp) {
        for (JsonNode node : payload.path("requests")) {
            if (!node.isObject()) {
                continue;
            }
            ObjectNode request = (ObjectNode) node;
            Redaction.request(request);
            Integer status = status(request);
            if (status == null || (status > 0 && status < 400)) {
                continue;
            }
            NetworkFailure failure = new NetworkFailure();
            failure.method = request.path("method").asText(null);
            failure.url = request.path("name").asText(null);
            failure.status = status;
            failure.durationMs = duration(request);
            if (status == 0) {
                failure.error = request.path("error").isTextual() ? request.get("error").asText()
                        : "no response (blocked, aborted, offline or timed out)";
            }
            networkFailures.add(new Timed<>(requestTime(request, eventTimestamp), null, failure));
        }
    }

    /** {@code responseStatus} (Performance API) or {@code status}; {@code null} when the recorder did not say. */
    private static Integer status(JsonNode request) {
        for (String field : List.of("responseStatus", "status")) {
            if (request.path(field).isNumber()) {
                return request.get(field).asInt();
            }
        }
        return request.path("failed").asBoolean(false) ? 0 : null;
    }

    private static Double duration(JsonNode request) {
        if (request.path("duration").isNumber()) {
            return request.get("duration").asDouble();
        }
        double start = request.path("startTime").asDouble(Double.NaN);
        for (String end : List.of("responseEnd", "endTime")) {
            if (request.path(end).isNumber() && !Double.isNaN(start)) {
                return request.get(end).asDouble() - start;
            }
        }
        return null;
    }

    /** When the request started: its own timestamp, else the page's time origin plus its start, else the event's. */
    private static long requestTime(JsonNode request, long eventTimestamp) {
        if (request.path("timestamp").isNumber()) {
            return request.get("timestamp").asLong();
        }
        if (request.path("timeOrigin").isNumber() && request.path("startTime").isNumber()) {
            return Math.round(request.get("timeOrigin").asDouble() + request.get("startTime").asDouble());
        }
        return eventTimestamp;
    }

    private String pageAt(String windowId, long timestamp) {
        TreeMap<Long, String> window = pages.get(windowId);
        if (window == null) {
            return null;
        }
        Map.Entry<Long, String> page = window.floorEntry(timestamp);
        return page == null ? window.firstEntry().getValue() : page.getValue();
    }

    private static double offset(long timestamp, long start) {
        return Math.max(0, timestamp - start) / 1000.0;
    }

    private static String window(String windowId) {
        return windowId == null ? "" : windowId;
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    private record Timed<T>(long timestamp, String windowId, T value) {
    }
}
