package io.truffles.analyzer.models;

import java.util.regex.Pattern;

/**
 * Takes out of text what no model should see: email addresses, bearer tokens, API keys, cookies ({@code Cookie} and
 * {@code Set-Cookie} headers, {@code document.cookie}), and the values of query parameters, fields and cookies named
 * like credentials or sessions.
 */
public final class Redaction {
    /** A cookie header's whole value: every cookie in it may be a session, so none is kept. */
    private static final Pattern COOKIE = Pattern.compile(
            "(?i)(\\b(?:set-)?cookie[\"']?\\s*[:=]\\s*[\"']?)([^\"'\\r\\n]+)");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern KEY_LIKE = Pattern.compile(
            "\\b(sk|pk|rk|phx|phc|ghp|gho|ghs|github_pat|xox[abp]|AKIA)[-_A-Za-z0-9]{10,}\\b");
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*");
    private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile(
            "(?i)([?&\"'\\s;]?(?:access_token|refresh_token|id_token|token|api_key|apikey|key|password|passwd|secret"
                    + "|session(?:_?id)?|j?sessionid|phpsessid|sid|csrf_?token|xsrf-token|auth)"
                    + "[\"']?\\s*[=:]\\s*[\"']?)([^&\"'\\s,}]+)");

    private Redaction() {
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = COOKIE.matcher(text).replaceAll("$1[redacted]");
        redacted = EMAIL.matcher(redacted).replaceAll("[email]");
        redacted = BEARER.matcher(redacted).replaceAll("$1 [redacted]");
        redacted = JWT.matcher(redacted).replaceAll("[redacted]");
        redacted = KEY_LIKE.matcher(redacted).replaceAll("[redacted]");
        return CREDENTIAL_PARAMETER.matcher(redacted).replaceAll("$1[redacted]");
    }
}
