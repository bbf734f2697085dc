package io.truffles.poller.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from what a recorder captured of a request before Truffles stores it anywhere: credential
 * headers whatever their value, query parameters named like secrets, and any value that looks like a token (JWTs,
 * bearer tokens, well-known key prefixes, long opaque strings).
 */
public final class Redaction {
    public static final String REDACTED = "[REDACTED]";

    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie", "x-api-key", "api-key", "apikey", "x-auth-token", "x-csrf-token", "x-xsrf-token",
            "x-amz-security-token");
    private static final List<String> CREDENTIAL_WORDS = List.of("token", "secret", "api-key", "api_key", "apikey",
            "password", "passwd", "session", "signature", "credential", "auth");
    private static final Pattern TOKEN = Pattern.compile(String.join("|",
            "(?i)\\bbearer\\s+[A-Za-z0-9._~+/=-]+",
            "(?i)\\bbasic\\s+[A-Za-z0-9+/=]{8,}",
            "\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*",
            "\\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}",
            "\\bsk-[A-Za-z0-9_-]{16,}",
            "\\b(?:phx|phc|ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{16,}",
            "\\bgithub_pat_[A-Za-z0-9_]{20,}",
            "\\bxox[abprs]-[A-Za-z0-9-]{10,}",
            "\\bAKIA[0-9A-Z]{16}\\b",
            // long opaque runs mixing letters and digits: session ids, API keys, signatures
            "\\b(?=[A-Za-z0-9_-]{32,})(?=[A-Za-z_-]*[0-9])(?=[0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\\b"));
    private static final Pattern QUERY_PARAMETER = Pattern.compile("([?&;])([^=&#;]+)=([^&#;]*)");

    private Redaction() {
    }

    /** Whether a header (or a query parameter) of this name carries a credential, whatever its value. */
    public static boolean isCredentialName(String name) {
        String lower = name.toLowerCase(Locale.ROOT).trim();
        if (CREDENTIAL_HEADERS.contains(lower)) {
            return true;
        }
        for (String word : CREDENTIAL_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return lower.equals("key") || lower.endsWith("_key") || lower.endsWith("-key") || lower.equals("code");
    }

    /** The text with every token-looking run replaced. */
    public static String tokens(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher matcher = TOKEN.matcher(text);
        return matcher.find() ? matcher.replaceAll(REDACTED) : text;
    }

    /** The URL with secret-named query parameters and token-looking values replaced. */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        Matcher matcher = QUERY_PARAMETER.matcher(url);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = isCredentialName(matcher.group(2)) ? REDACTED : tokens(matcher.group(3));
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + matcher.group(2) + "=" + value));
        }
        matcher.appendTail(out);
        return tokens(out.toString());
    }

    /** Redacts a header object in place: credential headers entirely, token-looking values in the others. */
    public static void headers(JsonNode headers) {
        if (headers == null || !headers.isObject()) {
            return;
        }
        ObjectNode object = (ObjectNode) headers;
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = object.get(name);
            if (isCredentialName(name)) {
                object.put(name, REDACTED);
            } else if (value.isTextual()) {
                object.put(name, tokens(value.asText()));
            }
        }
    }

    /** Redacts one captured request ({@code rrweb/network@1}) in place: URL, headers and bodies. */
    public static void request(ObjectNode request) {
        if (request.path("name").isTextual()) {
            request.put("name", url(request.get("name").asText()));
        }
        headers(request.get("requestHeaders"));
        headers(request.get("responseHeaders"));
        for (String body : List.of("requestBody", "responseBody")) {
            if (request.path(body).isTextual()) {
                request.put(body, tokens(request.get(body).asText()));
            }
        }
    }

}
