package io.truffles.analyzer.issues;

import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.Issue;
import io.truffles.core.mongo.Documents;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Screens a new issue against the known false alarms. Without a screening model this is a pattern match: a
 * pattern written {@code /regex/} is a case-insensitive regular expression, any other a case-insensitive phrase,
 * matched against the issue's title, description and fingerprint.
 */
public class Screening {
    public record Verdict(boolean passed, String reasoning) {
    }

    private final Documents documents;

    public Screening(Documents documents) {
        this.documents = documents;
    }

    public Verdict screen(Issue issue) {
        String text = String.join("\n", nonNull(issue.title), nonNull(issue.description), nonNull(issue.fingerprint));
        for (FalseAlarm alarm : documents.falseAlarms().find()) {
            if (matches(alarm.pattern, text)) {
                return new Verdict(false, "Matches the known false alarm \"" + alarm.pattern + "\""
                        + (alarm.reason == null || alarm.reason.isBlank() ? "." : ": " + alarm.reason));
            }
        }
        return new Verdict(true, "No known false-alarm pattern matches (pattern screening; no screening model "
                + "was consulted).");
    }

    static boolean matches(String pattern, String text) {
        if (pattern == null || pattern.isBlank()) {
            return false;
        }
        String trimmed = pattern.strip();
        if (trimmed.length() > 2 && trimmed.startsWith("/") && trimmed.endsWith("/")) {
            try {
                return Pattern.compile(trimmed.substring(1, trimmed.length() - 1), Pattern.CASE_INSENSITIVE)
                        .matcher(text).find();
            } catch (PatternSyntaxException malformed) {
                return false;
            }
        }
        return text.toLowerCase(Locale.ROOT).contains(trimmed.toLowerCase(Locale.ROOT));
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
