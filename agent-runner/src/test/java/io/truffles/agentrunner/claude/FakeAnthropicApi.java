package io.truffles.agentrunner.claude;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Anthropic Messages API that the real Claude Code CLI talks to
 * ({@code ANTHROPIC_BASE_URL}). Answers {@code POST /v1/messages} with the standard SSE stream (message_start,
 * content_block_start/delta/stop for text and tool_use, message_delta with stop_reason and usage, message_stop), taking
 * each answer from a script per agent phase (read from the phase marker in the conversation). When a phase's script is
 * used up it answers that phase's structured outcome through the CLI's {@code StructuredOutput} tool, or plain text when
 * the request offers no such tool.
 */
public final class FakeAnthropicApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PHASE = Pattern.compile("\\[truffles phase: (\\w+)]");

    /** One content block of an answer. */
    public record Block(String type, String textOrToolName, JsonNode input) {
        public static Block text(String text) {
            return new Block("text", text, null);
        }

        public static Block tool(String name, Map<String, Object> input) {
            return new Block("tool_use", name, JSON.valueToTree(input));
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<List<Block>>> scripts = new HashMap<>();
    private final Map<String, Map<String, Object>> outcomes = new HashMap<>();
    private final Map<String, List<Block>> openings = new HashMap<>();
    private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> apiKeys = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requestLines = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean hang;
    private int toolIds;

    public FakeAnthropicApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers of {@code phase}, in order, before its structured outcome. */
    public synchronized FakeAnthropicApi script(String phase, List<Block> answer) {
        scripts.computeIfAbsent(phase, p -> new ArrayDeque<>()).add(answer);
        return this;
    }

    /**
     * The answer to every conversation's first request in {@code phase} (its last message is the phase's prompt, not
     * a tool result), however many agents ask: for tests with many agents at once, where a script would be shared.
     */
    public synchronized FakeAnthropicApi opening(String phase, List<Block> answer) {
        openings.put(phase, answer);
        return this;
    }

    public synchronized FakeAnthropicApi outcome(String phase, Map<String, Object> structured) {
        outcomes.put(phase, structured);
        return this;
    }

    /** From now on, accept requests and never answer them (a model that hangs). */
    public FakeAnthropicApi hang() {
        hang = true;
        return this;
    }

    /** Forgets every script and outcome (tests sharing one fake start clean). */
    public synchronized FakeAnthropicApi reset() {
        scripts.clear();
        outcomes.clear();
        openings.clear();
        hang = false;
        return this;
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /**
     * What the CLI sent back for each tool call, by the call's {@code description} input (the harness names its
     * probes so): the {@code tool_result} content of the conversation's later requests, its text parts joined.
     */
    public Map<String, String> toolResults() {
        Map<String, String> idToName = new HashMap<>();
        Map<String, String> results = new java.util.LinkedHashMap<>();
        for (JsonNode request : requests()) {
            for (JsonNode message : request.path("messages")) {
                for (JsonNode part : message.path("content")) {
                    String type = part.path("type").asText();
                    if (type.equals("tool_use") && part.path("input").has("description")) {
                        idToName.put(part.path("id").asText(), part.path("input").path("description").asText());
                    } else if (type.equals("tool_result") && idToName.containsKey(part.path("tool_use_id").asText())) {
                        JsonNode content = part.path("content");
                        StringBuilder text = new StringBuilder(content.isTextual() ? content.asText() : "");
                        for (JsonNode piece : content) {
                            text.append(piece.path("text").asText(""));
                        }
                        results.put(idToName.get(part.path("tool_use_id").asText()), text.toString());
                    }
                }
            }
        }
        return results;
    }

    /** Every request's method and target, whatever it was for, in order. */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** The {@code x-api-key} header of each request, in order ("" when absent). */
    public List<String> apiKeys() {
        return List.copyOf(apiKeys);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requestLines.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            if (!"POST".equals(exchange.getRequestMethod()) || !exchange.getRequestURI().getPath().equals("/v1/messages")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            String key = exchange.getRequestHeaders().getFirst("x-api-key");
            apiKeys.add(key == null ? "" : key);
            requests.add(request);
            if (hang) {
                closed.await(10, TimeUnit.MINUTES);
                return;
            }
            List<Block> answer = next(request);
            exchange.getResponseHeaders().add("content-type", "text/event-stream");
            exchange.getResponseHeaders().add("cache-control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            String model = request.path("model").asText("claude-fake");
            event(out, "message_start", Map.of("type", "message_start", "message", Map.of("id", "msg_fake",
                    "type", "message", "role", "assistant", "model", model, "content", List.of(),
                    "usage", Map.of("input_tokens", 12, "output_tokens", 1))));
            String stopReason = "end_turn";
            for (int i = 0; i < answer.size(); i++) {
                Block block = answer.get(i);
                if (block.type().equals("text")) {
                    event(out, "content_block_start", Map.of("type", "content_block_start", "index", i,
                            "content_block", Map.of("type", "text", "text", "")));
                    event(out, "content_block_delta", Map.of("type", "content_block_delta", "index", i,
                            "delta", Map.of("type", "text_delta", "text", block.textOrToolName())));
                } else {
                    stopReason = "tool_use";
                    event(out, "content_block_start", Map.of("type", "content_block_start", "index", i,
                            "content_block", Map.of("type", "tool_use", "id", "toolu_fake" + nextToolId(),
                                    "name", block.textOrToolName(), "input", Map.of())));
                    event(out, "content_block_delta", Map.of("type", "content_block_delta", "index", i,
                            "delta", Map.of("type", "input_json_delta", "partial_json",
                                    JSON.writeValueAsString(block.input()))));
                }
                event(out, "content_block_stop", Map.of("type", "content_block_stop", "index", i));
            }
            ObjectNode delta = JSON.createObjectNode();
            delta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
            delta.put("type", "message_delta");
            delta.putObject("usage").put("output_tokens", 25);
            event(out, "message_delta", delta);
            event(out, "message_stop", Map.of("type", "message_stop"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized int nextToolId() {
        return ++toolIds;
    }

    private synchronized List<Block> next(JsonNode request) {
        String phase = phaseOf(request);
        Deque<List<Block>> script = scripts.get(phase);
        if (script != null && !script.isEmpty()) {
            return script.poll();
        }
        if (openings.containsKey(phase) && !answersToolResult(request)) {
            return openings.get(phase);
        }
        boolean structured = false;
        for (JsonNode tool : request.path("tools")) {
            structured |= "StructuredOutput".equals(tool.path("name").asText());
        }
        Map<String, Object> outcome = outcomes.get(phase);
        if (structured && outcome != null) {
            return List.of(Block.tool("StructuredOutput", outcome));
        }
        return List.of(Block.text("done"));
    }

    /** Whether the conversation's last message carries a tool result (the CLI continuing a turn). */
    private static boolean answersToolResult(JsonNode request) {
        JsonNode messages = request.path("messages");
        if (messages.isEmpty()) {
            return false;
        }
        for (JsonNode part : messages.get(messages.size() - 1).path("content")) {
            if ("tool_result".equals(part.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The last phase marker in the conversation. */
    private static String phaseOf(JsonNode request) {
        String phase = "none";
        for (JsonNode message : request.path("messages")) {
            if (!"user".equals(message.path("role").asText())) {
                continue;
            }
            JsonNode content = message.path("content");
            List<String> texts = new ArrayList<>();
            if (content.isTextual()) {
                texts.add(content.asText());
            }
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText())) {
                    texts.add(part.path("text").asText());
                }
            }
            for (String text : texts) {
                Matcher m = PHASE.matcher(text);
                while (m.find()) {
                    phase = m.group(1);
                }
            }
        }
        return phase;
    }

    private static void event(OutputStream out, String name, Object data) throws IOException {
        out.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
