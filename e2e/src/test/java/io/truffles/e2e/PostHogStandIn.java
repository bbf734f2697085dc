package io.truffles.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PostHog's session recordings API for one project, as the poller meets it (see research/api-report.md): the list
 * ({@code GET /api/projects/<id>/session_recordings/?date_from&order_direction&limit&offset}, newest data only from
 * {@code date_from}, {@code has_next} paging), the snapshot sources ({@code GET .../<session>/snapshots}, one blob_v2
 * source per recording) and the blob itself ({@code ?source=blob_v2&start_blob_key=0&end_blob_key=0}, JSONL lines
 * {@code [windowId, event]}). It checks the personal API key like PostHog does (401 otherwise). Recordings appear in
 * the list when {@link #publish} is called, so a test knows the moment PostHog first lists one.
 */
final class PostHogStandIn implements AutoCloseable {
    static final String PROJECT = "4242";
    static final String KEY = "phx_e2eStandInPersonalApiKey0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One finished recording: what the list says of it and its snapshot blob (JSONL). */
    record Recording(String id, String distinctId, String email, Instant start, double durationSeconds, byte[] blob) {
    }

    private final HttpServer server;
    private final Map<String, Recording> recordings = new ConcurrentHashMap<>();
    private final Map<String, Instant> publishedAt = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> blobCalls = new ConcurrentHashMap<>();
    private final AtomicInteger listCalls = new AtomicInteger();
    private final Clock clock = Clock.systemUTC();

    PostHogStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A recorded blob_v2 JSONL of the poller's tests (a real capture of a checkout page with a rage click). */
    static byte[] recordedBlob(String name) {
        try (InputStream in = PostHogStandIn.class.getResourceAsStream("/recordings/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no recording " + name + " in the poller's test-jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on the list shows {@code recording}. */
    void publish(Recording recording) {
        recordings.put(recording.id(), recording);
        publishedAt.put(recording.id(), clock.instant());
    }

    Instant publishedAt(String id) {
        return publishedAt.get(id);
    }

    int blobCalls(String id) {
        AtomicInteger calls = blobCalls.get(id);
        return calls == null ? 0 : calls.get();
    }

    int listCalls() {
        return listCalls.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String prefix = "/api/projects/" + PROJECT + "/session_recordings/";
            if (!"GET".equals(exchange.getRequestMethod()) || !path.startsWith(prefix)) {
                send(exchange, 404, "application/json", "{\"detail\":\"Not found.\"}");
                return;
            }
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "application/json", "{\"type\":\"authentication_error\","
                        + "\"code\":\"authentication_failed\",\"detail\":\"Invalid personal API key.\"}");
                return;
            }
            String rest = path.substring(prefix.length());
            if (rest.isEmpty()) {
                list(exchange, query);
            } else if (rest.endsWith("/snapshots")) {
                snapshots(exchange, rest.substring(0, rest.length() - "/snapshots".length()), query);
            } else {
                send(exchange, 404, "application/json", "{\"detail\":\"Not found.\"}");
            }
        }
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        listCalls.incrementAndGet();
        Instant from = dateFrom(query.get("date_from"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        Comparator<Recording> order = Comparator.comparing(Recording::start).thenComparing(Recording::id);
        if ("DESC".equalsIgnoreCase(query.get("order_direction"))) {
            order = order.reversed();
        }
        List<Recording> matching = recordings.values().stream()
                .filter(recording -> from == null || !recording.start().isBefore(from)).sorted(order).toList();
        ObjectNode page = JSON.createObjectNode();
        ArrayNode results = page.putArray("results");
        for (Recording recording : matching.subList(Math.min(offset, matching.size()),
                Math.min(matching.size(), offset + limit))) {
            ObjectNode item = results.addObject();
            item.put("id", recording.id());
            item.put("distinct_id", recording.distinctId());
            item.put("start_time", recording.start().toString());
            item.put("end_time", recording.start().plusMillis((long) (recording.durationSeconds() * 1000)).toString());
            item.put("recording_duration", recording.durationSeconds());
            item.put("ongoing", false);
            item.put("snapshot_source", "web");
            item.putObject("person").putObject("properties").put("email", recording.email());
        }
        page.put("has_next", offset + limit < matching.size());
        page.put("version", 4);
        send(exchange, 200, "application/json", JSON.writeValueAsString(page));
    }

    private void snapshots(HttpExchange exchange, String id, Map<String, String> query) throws IOException {
        Recording recording = recordings.get(id);
        if (recording == null) {
            send(exchange, 404, "application/json", "{\"detail\":\"Recording not found\"}");
            return;
        }
        if (!query.containsKey("source")) {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("sources").addObject().put("source", "blob_v2")
                    .put("start_timestamp", recording.start().toString())
                    .put("end_timestamp", recording.start().plusMillis((long) (recording.durationSeconds() * 1000))
                            .toString())
                    .put("blob_key", "0");
            send(exchange, 200, "application/json", JSON.writeValueAsString(body));
            return;
        }
        if (!"blob_v2".equals(query.get("source")) || !"0".equals(query.get("start_blob_key"))
                || !"0".equals(query.get("end_blob_key"))) {
            send(exchange, 400, "application/json", "{\"detail\":\"Invalid blob key range\"}");
            return;
        }
        blobCalls.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
        send(exchange, 200, "application/jsonl", recording.blob());
    }

    /** PostHog takes relative ({@code -3d}) or absolute dates; relative ones reach further back than any test. */
    private static Instant dateFrom(String value) {
        if (value == null || value.startsWith("-")) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            return null;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
