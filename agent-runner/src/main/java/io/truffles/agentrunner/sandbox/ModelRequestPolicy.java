package io.truffles.agentrunner.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.core.json.JsonMapping;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a request from the sandbox must look like to leave through the {@link ModelBridge}: exactly what Claude Code
 * sends to the Messages API, nothing that widens what the real key can do. An allow-list at every level (method, path,
 * query, header, beta flag, body key, tool type), because the model key is worth more than the agent's errand: with it
 * a request could make Anthropic connect to any URL ({@code mcp_servers}), fetch or search the web or run code on
 * Anthropic's side (server tools), or reach APIs the CLI never uses (files, batches, managed agents).
 *
 * <p>The lists were taken from the requests Claude Code 2.1.328 sends (captured through a recording server: {@code POST
 * /v1/messages?beta=true}, body keys {@code model messages system tools metadata max_tokens thinking stream
 * context_management}, and the beta flags below) and the flags its binary names that change only how the model
 * answers. A newer CLI that sends something else is refused with a message naming it, not silently let through.
 */
public final class ModelRequestPolicy {
    private static final ObjectMapper JSON = JsonMapping.shared();
    static final Set<String> PATHS = Set.of("/v1/messages", "/v1/messages/count_tokens");
    private static final Set<String> QUERIES = Set.of("", "beta=true");
    /** Headers forwarded (lower case); every other one is dropped. The key is swapped, Host and framing rewritten. */
    static final Set<String> HEADERS = Set.of("accept", "content-type", "anthropic-version", "anthropic-beta",
            "user-agent", "x-app", "x-claude-code-session-id", "anthropic-dangerous-direct-browser-access",
            "x-stainless-arch", "x-stainless-lang", "x-stainless-os", "x-stainless-package-version",
            "x-stainless-retry-count", "x-stainless-runtime", "x-stainless-runtime-version", "x-stainless-timeout");
    /** Beta flags that change how the model answers, never what it can reach. */
    static final Set<String> BETAS = Set.of("claude-code-20250219", "interleaved-thinking-2025-05-14",
            "context-management-2025-06-27", "thinking-token-count-2026-05-13", "advanced-tool-use-2025-11-20",
            "thinking-display-updates-2026-08-18", "context-1m-2025-08-07", "effort-2025-11-24",
            "extended-cache-ttl-2025-04-11", "prompt-caching-scope-2026-01-05", "structured-outputs-2025-12-15",
            "token-counting-2024-11-01", "tool-search-tool-2025-10-19", "redact-thinking-2026-02-12",
            "fine-grained-tool-streaming-2025-05-14", "token-efficient-tools-2025-02-19");
    static final Set<String> BODY_KEYS = Set.of("model", "messages", "system", "tools", "tool_choice", "metadata",
            "max_tokens", "thinking", "stream", "context_management", "temperature", "top_p", "top_k",
            "stop_sequences", "output_format", "output_config");
    /** Server tools that search the client's own tool list; every other typed tool runs on Anthropic's side. */
    private static final Pattern ALLOWED_TOOL_TYPE = Pattern.compile("custom|tool_search_tool_[a-z0-9_]+");
    /** A request target made only of these characters: no {@code %} (so no {@code %2e}), no spaces or controls. */
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9/_.?=&-]+");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$&'*+.^_`|~-]+");

    private final String basePath;

    public ModelRequestPolicy(String basePath) {
        this.basePath = basePath;
    }

    /** The parsed request head, or the reason it is refused. */
    public record Head(String method, String target, List<String[]> headers) {
        Optional<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
        }
    }

    /** Thrown with the sentence the agent gets back in a 403 (and the runner logs). */
    public static final class Refused extends Exception {
        private final int status;

        Refused(int status, String reason) {
            super(reason);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Parses and checks a request head (the bytes before the blank line, CRLF-separated). */
    public Head head(byte[] raw) throws Refused {
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\n' && (i == 0 || raw[i - 1] != '\r') || b == '\r' && (i + 1 >= raw.length || raw[i + 1] != '\n')
                    || b == 0) {
                throw new Refused(400, "a bare CR or LF (or NUL) in the request head");
            }
        }
        String[] lines = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1).split("\r\n", -1);
        String[] request = lines[0].split(" ", -1);
        if (request.length != 3 || !request[2].equals("HTTP/1.1") && !request[2].equals("HTTP/1.0")) {
            throw new Refused(400, "not an HTTP/1.x request line");
        }
        if (!request[0].equals("POST")) {
            throw new Refused(403, "method " + request[0] + " is not used by the model API client");
        }
        checkTarget(request[1]);
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || !HEADER_NAME.matcher(line.substring(0, colon)).matches()) {
                throw new Refused(400, "a malformed header line (folded, or without a name)");
            }
            headers.add(new String[] {line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1)
                    .strip()});
        }
        Head head = new Head(request[0], request[1], headers);
        if (headers.stream().filter(h -> h[0].equals("content-length")).count() > 1) {
            throw new Refused(400, "more than one Content-Length");
        }
        if (head.header("transfer-encoding").isPresent()) {
            throw new Refused(411, "a body without Content-Length (Transfer-Encoding) is not accepted");
        }
        for (String[] header : headers) {
            if (header[0].equals("anthropic-beta")) {
                for (String flag : header[1].split(",")) {
                    if (!flag.isBlank() && !BETAS.contains(flag.strip())) {
                        throw new Refused(403, "beta flag " + flag.strip() + " is not allowed from the sandbox");
                    }
                }
            }
        }
        return head;
    }

    private void checkTarget(String target) throws Refused {
        if (!TARGET.matcher(target).matches() || target.contains("..") || target.contains("//")
                || target.contains("/./") || target.endsWith("/.")) {
            throw new Refused(403, "request target " + shorten(target) + " is not a plain model API path");
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        if (!path.startsWith(basePath) || !PATHS.contains(path.substring(basePath.length())) || !QUERIES.contains(query)) {
            throw new Refused(403, "only the model API is reachable (not " + shorten(target) + ")");
        }
    }

    /** Checks a request body: JSON, only the allowed top-level keys, no server-side tools. */
    public void body(byte[] body) throws Refused {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException notJson) {
            throw new Refused(400, "the request body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Refused(400, "the request body is not a JSON object");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!BODY_KEYS.contains(key)) {
                throw new Refused(403, "body key " + shorten(key) + " is not allowed from the sandbox");
            }
        }
        for (JsonNode tool : root.path("tools")) {
            JsonNode type = tool.get("type");
            if (type != null && !type.isNull() && !ALLOWED_TOOL_TYPE.matcher(type.asText()).matches()) {
                throw new Refused(403, "server-side tool " + shorten(type.asText()) + " is not allowed from the sandbox");
            }
        }
    }

    private static String shorten(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "…" : printable;
    }
}
