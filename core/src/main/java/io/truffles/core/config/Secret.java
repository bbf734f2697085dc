package io.truffles.core.config;

import java.util.Objects;

/**
 * A credential from the environment. Printing it shows only its last four characters, so a secret that ends up in a
 * log line, an exception or an API response by accident still does not leak.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    /** Used by SmallRye Config as the implicit converter. */
    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The real value, for the one place that sends it to the service it belongs to. */
    public String reveal() {
        return value;
    }

    /** The last four characters behind a mask, as the settings page shows secrets. */
    public String masked() {
        return mask(value);
    }

    /** Masks any secret value the same way: {@code ••••abcd}, or {@code ••••} when it is too short to show a part. */
    public static String mask(String value) {
        if (value == null || value.isEmpty()) {
            return "not set";
        }
        return value.length() <= 8 ? "••••" : "••••" + value.substring(value.length() - 4);
    }

    @Override
    public String toString() {
        return masked();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
