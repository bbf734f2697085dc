package io.truffles.core.redaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule set for taking credentials and personal data out of what a recording captured, before Truffles stores
 * it (poller), shows it to a model (analyzer, agents) or writes it where others read it (evidence folder, pull
 * requests): email addresses, {@code Cookie}/{@code Set-Cookie}/{@code Authorization} values whatever they are, bearer
 * and basic credentials, JWTs, API keys of well-known shapes, long opaque tokens, and the values of query parameters,
 * fields and headers named like credentials or sessions.
 */
public final class Redaction {
    public static final String REDACTED = "[redacted]";
    public static final String EMAIL = "[email]";

    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie", "x-api-key", "api-key", "apikey", "x-auth-token", "x-csrf-token", "x-xsrf-token",
            "x-amz-security-token");
    private static final List<String> CREDENTIAL_WORDS = List.of("token", "secret", "api-key", "api_key", "apikey",
            "password", "passwd", "session", "signature", "credential", "auth");

    /** A cookie header written as text: its whole value goes, since every cookie in it may be a session. */
    private static final Pattern COOKIE_HEADER = Pattern.compile(
            "(?i)(\\b(?:set-)?cookie[\"']?\\s*[:=]\\s*[\"']?)([^\"'\\r\\n]+)");
    /** An authorization header written as text: its scheme (when it has one) and credential go, whatever they are. */
    private static final Pattern AUTHORIZATION_HEADER = Pattern.compile(
            "(?i)(\\b(?:proxy-)?authorization[\"']?\\s*[:=]\\s*[\"']?)((?:[A-Za-z-]+\\s+)?[^\\s\"',;}]+)");
    private static final Pattern EMAIL_ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic|token)\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern TOKEN = Pattern.compile(String.join("|",
            "\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*",
            "\\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}",
            // Anthropic (sk-ant-…), OpenRouter (sk-or-v1-…), OpenAI and the like
            "\\bsk-[A-Za-z0-9_-]{12,}",
            "\\b(?:phx|phc|ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{12,}",
            "\\bgithub_pat_[A-Za-z0-9_]{20,}",
            "\\bxox[abprs]-[A-Za-z0-9-]{10,}",
            "\\bAKIA[0-9A-Z]{16}\\b",
            // long opaque runs mixing letters and digits: session ids, API keys, signatures
            "\\b(?=[A-Za-z0-9_-]{32,})(?=[A-Za-z_-]*[0-9])(?=[0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\\b"));
    private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile(
            "(?i)([?&\"'\\s;]?(?:access_token|refresh_token|id_token|token|api_key|apikey|key|password|passwd|secret"
                    + "|session(?:_?id)?|j?sessionid|phpsessid|sid|csrf_?token|xsrf-token|auth)"
                    + "[\"']?\\s*[=:]\\s*[\"']?)([^&\"'\\s,}\\[]+)");
    private static final Pattern QUERY_PARAMETER = Pattern.compile("([?&;])([^=&#;]+)=([^&#;]*)");

    private Redaction() {
    }

    /** The text with every credential and email address replaced; {@code null} stays {@code null}. */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String redacted = COOKIE_HEADER.matcher(text).replaceAll("$1" + REDACTED);
        redacted = AUTHORIZATION_HEADER.matcher(redacted).replaceAll("$1" + REDACTED);
        redacted = EMAIL_ADDRESS.matcher(redacted).replaceAll(EMAIL);
        redacted = BEARER.matcher(redacted).replaceAll("$1 " + REDACTED);
        redacted = TOKEN.matcher(redacted).replaceAll(REDACTED);
        return CREDENTIAL_PARAMETER.matcher(redacted).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
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

    /** The URL with secret-named query parameters and anything {@link #text} would take out replaced. */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        Matcher matcher = QUERY_PARAMETER.matcher(url);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = isCredentialName(matcher.group(2)) ? REDACTED : text(matcher.group(3));
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + matcher.group(2) + "=" + value));
        }
        matcher.appendTail(out);
        return text(out.toString());
    }

    /** Redacts a header object in place: credential headers entirely, the others' values as {@link #text}. */
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
                object.put(name, text(value.asText()));
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
                request.put(body, text(request.get(body).asText()));
            }
        }
    }

    /** Redacted and cut to {@code max} characters (a cut says so), for a title or line made from recorded text. */
    public static String bounded(String text, int max) {
        String redacted = text(text);
        if (redacted == null || redacted.length() <= max) {
            return redacted;
        }
        int end = Character.isHighSurrogate(redacted.charAt(max - 1)) ? max - 1 : max;
        return redacted.substring(0, end) + "…";
    }
}
