package io.truffles.api.paging;

import io.truffles.api.errors.ApiError;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query parameters parsed so that a wrong one answers 400 naming it. */
public final class QueryParams {
    private QueryParams() {
    }

    public static <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException unknown) {
            throw ApiError.badField(name, "'" + value + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /**
     * A whole number from {@code min} to {@code max}, or {@code absent} when the parameter is not given. Parsed here
     * rather than by JAX-RS, which answers a parameter it cannot convert with a bare 404.
     */
    public static int integer(String name, String value, int absent, int min, int max) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, as for a number out of range
        }
        throw ApiError.badField(name, "'" + value + "' is not a whole number "
                + (max == Integer.MAX_VALUE ? "of " + min + " or more" : "from " + min + " to " + max));
    }

    /** A number of seconds, 0 or more (fractions allowed), or null when the parameter is not given. */
    public static Double seconds(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(value.strip());
            if (seconds >= 0 && Double.isFinite(seconds)) {
                return seconds;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, as for a negative number
        }
        throw ApiError.badField(name, "'" + value + "' is not a number of seconds (0 or more)");
    }

    public static Boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw ApiError.badField(name, "must be true or false");
        }
        return Boolean.valueOf(value);
    }

    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException malformed) {
            throw ApiError.badField(name, "'" + value + "' is not an ISO-8601 instant such as 2026-11-24T00:00:00Z");
        }
    }
}
