package io.truffles.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's pull request REST API for one repository with state, as it behaves for the runner: {@code POST .../pulls}
 * opens the next number, or answers 422 "A pull request already exists" when one is open for that head (so a runner
 * that forgot its PR cannot open a second); {@code GET .../pulls?head=owner:branch&state=} lists them;
 * {@code GET .../pulls/<n>} shows one; {@code POST .../issues/<n>/labels} labels it. Every create attempt is kept,
 * so a test can count them per branch.
 */
final class GitHubStandIn implements AutoCloseable {
    static final String REPO = "acme/shop";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PULL = Pattern.compile("/repos/" + REPO + "/pulls/(\\d+)");
    private static final Pattern LABELS = Pattern.compile("/repos/" + REPO + "/issues/(\\d+)/labels");

    /** One pull request as GitHub holds it. */
    record PullRequest(int number, String head, String title, String state, boolean merged) {
    }

    private final HttpServer server;
    private final List<PullRequest> pulls = new ArrayList<>();
    private final List<String> createAttempts = new ArrayList<>();

    GitHubStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized List<PullRequest> pulls() {
        return List.copyOf(pulls);
    }

    /** The head branch of every {@code POST .../pulls}, accepted or not. */
    synchronized List<String> createAttempts() {
        return List.copyOf(createAttempts);
    }

    /** A reviewer merges pull request {@code number}. */
    synchronized void merge(int number) {
        pulls.replaceAll(pr -> pr.number() == number
                ? new PullRequest(number, pr.head(), pr.title(), "closed", true) : pr);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                send(exchange, 401, "{\"message\":\"Requires authentication\"}");
                return;
            }
            Matcher pull = PULL.matcher(path);
            Matcher labels = LABELS.matcher(path);
            if (path.equals("/repos/" + REPO + "/pulls") && method.equals("POST")) {
                create(exchange, JSON.readTree(exchange.getRequestBody()));
            } else if (path.equals("/repos/" + REPO + "/pulls") && method.equals("GET")) {
                list(exchange, exchange.getRequestURI().getRawQuery());
            } else if (pull.matches() && method.equals("GET")) {
                PullRequest found = find(Integer.parseInt(pull.group(1)));
                send(exchange, found == null ? 404 : 200, found == null ? "{\"message\":\"Not Found\"}"
                        : JSON.writeValueAsString(json(found)));
            } else if (labels.matches() && method.equals("POST")) {
                ArrayNode named = JSON.createArrayNode();
                JSON.readTree(exchange.getRequestBody()).path("labels")
                        .forEach(label -> named.addObject().put("name", label.asText()));
                send(exchange, find(Integer.parseInt(labels.group(1))) == null ? 404 : 200, named.toString());
            } else {
                send(exchange, 404, "{\"message\":\"Not Found\"}");
            }
        }
    }

    private synchronized void create(HttpExchange exchange, JsonNode body) throws IOException {
        String head = body.path("head").asText();
        createAttempts.add(head);
        boolean open = pulls.stream().anyMatch(pr -> pr.head().equals(head) && pr.state().equals("open"));
        if (open) {
            send(exchange, 422, "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"PullRequest\","
                    + "\"code\":\"custom\",\"message\":\"A pull request already exists for acme:" + head + ".\"}]}");
            return;
        }
        PullRequest created = new PullRequest(pulls.size() + 1, head, body.path("title").asText(), "open", false);
        pulls.add(created);
        send(exchange, 201, JSON.writeValueAsString(json(created)));
    }

    private synchronized void list(HttpExchange exchange, String rawQuery) throws IOException {
        String head = null;
        String state = "open";
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            String value = kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            if (kv[0].equals("head")) {
                head = value.substring(value.indexOf(':') + 1);
            } else if (kv[0].equals("state")) {
                state = value;
            }
        }
        ArrayNode found = JSON.createArrayNode();
        for (PullRequest pr : pulls) {
            if ((head == null || pr.head().equals(head)) && (state.equals("all") || pr.state().equals(state))) {
                found.add(json(pr));
            }
        }
        send(exchange, 200, found.toString());
    }

    private PullRequest find(int number) {
        synchronized (this) {
            return pulls.stream().filter(pr -> pr.number() == number).findFirst().orElse(null);
        }
    }

    private static ObjectNode json(PullRequest pr) {
        ObjectNode node = JSON.createObjectNode().put("number", pr.number()).put("state", pr.state())
                .put("merged", pr.merged()).put("draft", true).put("title", pr.title())
                .put("html_url", "https://github.com/" + REPO + "/pull/" + pr.number());
        if (pr.merged()) {
            node.put("merged_at", "2026-12-07T12:00:00Z");
        } else {
            node.putNull("merged_at");
        }
        node.putObject("head").put("ref", pr.head());
        return node;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
