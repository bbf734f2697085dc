package io.truffles.core.redaction;

import com.mongodb.ConnectionString;
import io.truffles.core.config.Secret;
import io.truffles.core.config.TrufflesConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exact values of this installation's secrets (every {@link Secret} of {@code .env}, the MongoDB password, and
 * what a service adds, such as an agent's placeholder key), found and replaced wherever text leaves a service: output
 * logs, commits, pull requests. Pattern rules ({@link Redaction}) catch what looks like a credential; this catches the
 * ones we know, whatever they look like. Values shorter than {@value #MIN_LENGTH} characters are not searched for:
 * they would match ordinary text.
 */
public final class KnownSecrets {
    static final int MIN_LENGTH = 6;

    /** Name → value, longest first so a secret containing another is replaced whole. */
    private final Map<String, String> values;

    private KnownSecrets(Map<String, String> values) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(values.entrySet());
        entries.sort((a, b) -> Integer.compare(b.getValue().length(), a.getValue().length()));
        Map<String, String> sorted = new LinkedHashMap<>();
        entries.forEach(e -> sorted.put(e.getKey(), e.getValue()));
        this.values = Collections.unmodifiableMap(sorted);
    }

    public static KnownSecrets none() {
        return new KnownSecrets(Map.of());
    }

    /** Every secret of the configuration, by its environment variable's name. */
    public static KnownSecrets of(TrufflesConfig config) {
        KnownSecrets secrets = none()
                .with("POSTHOG_API_KEY", reveal(config.posthog().apiKey()))
                .with("OPENROUTER_API_KEY", reveal(config.openrouter().apiKey()))
                .with("AWS_SECRET_ACCESS_KEY", reveal(config.s3().secretAccessKey()))
                .with("GITHUB_TOKEN", reveal(config.github().token()))
                .with("ADMIN_PASSWORD", reveal(config.admin().password()))
                .with("ANTHROPIC_API_KEY", reveal(config.anthropic().apiKey()));
        return secrets.with("MONGODB_URI password", mongoPassword(config.mongodb().uri()));
    }

    /** These secrets and one more; a null or short value adds nothing. */
    public KnownSecrets with(String name, String value) {
        if (value == null || value.strip().length() < MIN_LENGTH) {
            return this;
        }
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(name, value);
        String escaped = jsonEscaped(value);
        if (!escaped.equals(value)) {
            // in stream-json lines and JSON bodies a secret with a quote or backslash is written escaped
            more.put(name + " (JSON-escaped)", escaped);
        }
        return new KnownSecrets(more);
    }

    /** The text with every known secret replaced by {@code [redacted: NAME]}. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String scrubbed = text;
        for (Map.Entry<String, String> secret : values.entrySet()) {
            if (scrubbed.contains(secret.getValue())) {
                scrubbed = scrubbed.replace(secret.getValue(), "[redacted: " + baseName(secret.getKey()) + "]");
            }
        }
        return scrubbed;
    }

    /** The name of the first known secret in the text, if any. */
    public Optional<String> foundIn(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return values.entrySet().stream().filter(e -> text.contains(e.getValue())).map(e -> baseName(e.getKey()))
                .findFirst();
    }

    /** The name of the first known secret in the bytes (read as UTF-8; secrets are ASCII in practice), if any. */
    public Optional<String> foundIn(byte[] content) {
        return foundIn(new String(content, StandardCharsets.ISO_8859_1)).or(() -> foundIn(
                new String(content, StandardCharsets.UTF_8)));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    private static String baseName(String name) {
        return name.endsWith(" (JSON-escaped)") ? name.substring(0, name.length() - " (JSON-escaped)".length()) : name;
    }

    private static String jsonEscaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String reveal(Optional<Secret> secret) {
        return secret.map(Secret::reveal).orElse(null);
    }

    private static String mongoPassword(String uri) {
        try {
            char[] password = uri == null || uri.isBlank() ? null : new ConnectionString(uri).getPassword();
            return password == null ? null : new String(password);
        } catch (IllegalArgumentException malformed) {
            // an unreadable MONGODB_URI is reported where the connection is made
            return null;
        }
    }
}
