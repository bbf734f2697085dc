package io.truffles.api.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The environment variables an admin may write through the api, and the systemd units that read each one. */
public final class EnvironmentKeys {
    public static final String API = "truffles-api";
    public static final String POLLER = "truffles-poller";
    public static final String RENDERER = "truffles-renderer";
    public static final String ANALYZER = "truffles-analyzer";
    public static final String AGENT_RUNNER = "truffles-agent-runner";
    private static final List<String> ALL_UNITS = List.of(API, POLLER, RENDERER, ANALYZER, AGENT_RUNNER);

    /** Secrets: shown masked, never in clear. */
    public static final Map<String, List<String>> SECRETS = ordered(
            "POSTHOG_API_KEY", List.of(POLLER),
            "OPENROUTER_API_KEY", List.of(ANALYZER),
            "AWS_ACCESS_KEY_ID", ALL_UNITS,
            "AWS_SECRET_ACCESS_KEY", ALL_UNITS,
            "GITHUB_TOKEN", List.of(AGENT_RUNNER),
            "ADMIN_PASSWORD", List.of(API),
            "ANTHROPIC_API_KEY", List.of(AGENT_RUNNER));

    /** Environment settings that are not secret: shown in clear. */
    public static final Map<String, List<String>> PLAIN = ordered(
            "POSTHOG_PROJECT_ID", List.of(POLLER),
            "POSTHOG_HOST", List.of(POLLER),
            "GITHUB_REPO", List.of(AGENT_RUNNER),
            "S3_BUCKET", ALL_UNITS);

    private EnvironmentKeys() {
    }

    public static boolean known(String key) {
        return SECRETS.containsKey(key) || PLAIN.containsKey(key);
    }

    public static List<String> unitsOf(String key) {
        return SECRETS.containsKey(key) ? SECRETS.get(key) : PLAIN.getOrDefault(key, List.of());
    }

    /** The units to restart for these keys, in the order services start. */
    public static List<String> unitsFor(Set<String> keys) {
        return ALL_UNITS.stream().filter(unit -> keys.stream().anyMatch(key -> unitsOf(key).contains(unit))).toList();
    }

    private static Map<String, List<String>> ordered(Object... pairs) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> units = (List<String>) pairs[i + 1];
            map.put((String) pairs[i], units);
        }
        return Collections.unmodifiableMap(map);
    }
}
