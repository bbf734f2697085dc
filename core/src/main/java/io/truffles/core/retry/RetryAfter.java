package io.truffles.core.retry;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The {@code Retry-After} header (RFC 9110 §10.2.3): a number of seconds, or an HTTP date. */
public final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * How long the server asked us to wait: the seconds as given, or the time until the date on {@code clock}; empty
     * when the header is missing or unreadable. A date already past is a wait of zero.
     */
    public static Optional<Duration> wait(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException tooLarge) {
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE));
            }
        }
        return date(value).map(at -> {
            Duration wait = Duration.between(clock.instant(), at);
            return wait.isNegative() ? Duration.ZERO : wait;
        });
    }

    /** When the server said to try again, on {@code clock}; empty when the header is missing or unreadable. */
    public static Optional<Instant> until(String header, Clock clock) {
        return wait(header, clock).map(wait -> {
            try {
                return clock.instant().plus(wait);
            } catch (DateTimeException | ArithmeticException tooLate) {
                return Instant.MAX;
            }
        });
    }

    private static Optional<Instant> date(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }
}
