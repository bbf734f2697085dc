package io.truffles.core.documents;

/** {@code red}: the user was blocked or lost data; {@code yellow}: friction. */
public enum Severity {
    red, yellow
}
