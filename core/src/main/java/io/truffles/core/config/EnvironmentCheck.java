package io.truffles.core.config;

import com.mongodb.ConnectionString;
import io.truffles.core.settings.SettingsLimits;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Checks the environment before a service starts, so that a malformed variable is one line naming it and what is
 * expected, and the process exits non-zero, instead of a wall of stack trace from deep inside start-up.
 */
public final class EnvironmentCheck {

    private record Rule(String variable, Predicate<String> valid, String expected) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("MONGODB_URI", EnvironmentCheck::isMongoUri,
                    "a MongoDB connection string such as mongodb://127.0.0.1:27017/truffles"),
            new Rule("POSTHOG_HOST", EnvironmentCheck::isHttpUrl, "an http(s) URL such as https://us.posthog.com"),
            new Rule("POSTHOG_PROJECT_ID", value -> value.matches("\\d+"), "the numeric PostHog project id"),
            new Rule("S3_ENDPOINT", EnvironmentCheck::isHttpUrl, "an http(s) URL of an S3-compatible server"),
            new Rule("S3_PATH_STYLE", value -> value.equals("true") || value.equals("false"), "true or false"),
            new Rule("S3_BUCKET", value -> value.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
                    "an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)"),
            new Rule("GITHUB_REPO", value -> value.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+"),
                    "owner/name of the product's GitHub repository"),
            wholeNumber("MAX_CONCURRENT_AGENTS", SettingsLimits.MAX_CONCURRENT_AGENTS),
            wholeNumber("AGENT_TIMEOUT_MINUTES", SettingsLimits.AGENT_TIMEOUT_MINUTES),
            wholeNumber("POLLING_INTERVAL_SECONDS", SettingsLimits.POLLING_INTERVAL_SECONDS),
            wholeNumber("AGENT_MAX_TURNS", 1, 1000),
            new Rule("AGENT_MAX_BUDGET_USD", EnvironmentCheck::isPositiveAmount, "an amount in US dollars such as 2.5"),
            duration("AGENT_LEASE_TTL"), duration("PR_POLL_INTERVAL"),
            httpUrl("OPENROUTER_BASE_URL"), httpUrl("ANTHROPIC_BASE_URL"), httpUrl("GITHUB_API_URL"),
            httpUrl("DASHBOARD_URL"),
            port("PORT"), port("POLLER_PORT"), port("RENDERER_PORT"), port("ANALYZER_PORT"),
            port("AGENT_RUNNER_PORT"), port("EMBEDDED_MONGO_PORT"), port("EMBEDDED_S3_PORT"));

    private EnvironmentCheck() {
    }

    /** Every problem with {@code env}, one line each; empty when all is well. Empty values count as unset. */
    public static List<String> problems(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        for (Rule rule : RULES) {
            String value = env.get(rule.variable());
            if (value != null && !value.isBlank() && !rule.valid().test(value.trim())) {
                problems.add(rule.variable() + "=" + shown(rule.variable(), value) + " is not valid: expected "
                        + rule.expected() + ".");
            }
        }
        requireTogether(env, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", problems);
        requireTogether(env, "POSTHOG_API_KEY", "POSTHOG_PROJECT_ID", problems);
        return problems;
    }

    /** Prints each problem as one line on stderr and exits with status 2 when there are any. */
    public static void exitOnProblems(String service) {
        List<String> problems = problems(System.getenv());
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("truffles-" + service + ": " + problem));
            System.exit(2);
        }
    }

    private static void requireTogether(Map<String, String> env, String first, String second, List<String> problems) {
        boolean hasFirst = isSet(env.get(first));
        boolean hasSecond = isSet(env.get(second));
        if (hasFirst != hasSecond) {
            String missing = hasFirst ? second : first;
            String present = hasFirst ? first : second;
            problems.add(missing + " is not set: expected it together with " + present + ".");
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static String shown(String variable, String value) {
        // MONGODB_URI may carry a password, and so may any URL with user info: show no value of those at all
        return variable.equals("MONGODB_URI") || value.matches("(?s)[a-zA-Z][a-zA-Z0-9+.-]*://[^/@]*@.*")
                ? "<hidden>" : "'" + value + "'";
    }

    private static Rule wholeNumber(String variable, SettingsLimits.Range range) {
        return wholeNumber(variable, range.min(), range.max());
    }

    private static Rule wholeNumber(String variable, int min, int max) {
        return new Rule(variable, value -> {
            try {
                int number = Integer.parseInt(value);
                return number >= min && number <= max;
            } catch (NumberFormatException notANumber) {
                return false;
            }
        }, "a whole number from " + min + " to " + max);
    }

    private static Rule httpUrl(String variable) {
        return new Rule(variable, EnvironmentCheck::isHttpUrl, "an http(s) URL");
    }

    /** What Quarkus reads as a duration: ISO-8601 (PT60S) or a number with an optional unit (90, 500ms, 5m, 2h). */
    private static Rule duration(String variable) {
        return new Rule(variable, value -> value.matches("\\d+(ms|s|m|h|d)?")
                || value.toUpperCase(java.util.Locale.ROOT).matches("P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?")
                        && value.length() > 2, "a duration such as PT60S, 90s or 5m");
    }

    private static boolean isPositiveAmount(String value) {
        try {
            double amount = Double.parseDouble(value);
            return amount > 0 && Double.isFinite(amount);
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    private static Rule port(String variable) {
        return wholeNumber(variable, 1, 65535);
    }

    private static boolean isMongoUri(String value) {
        try {
            new ConnectionString(value);
            return true;
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (Exception malformed) {
            return false;
        }
    }
}
