package io.truffles.core.error;

/** Configuration that is missing or malformed; the message names the variable and what is expected, in one line. */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }
}
