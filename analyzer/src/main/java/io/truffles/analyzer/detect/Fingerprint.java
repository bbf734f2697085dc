package io.truffles.analyzer.detect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The identity of a problem across sessions: the same kind on the same page pattern and element with the same signature. */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String of(FindingKind kind, String page, String element, String signature) {
        String identity = String.join("\u001f", kind.name(), page, element, signature);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return kind.name().toLowerCase() + ":" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** An error message with what varies between occurrences (numbers, ids, quoted values) taken out. */
    public static String normalizeMessage(String message) {
        if (message == null) {
            return "";
        }
        String firstLine = message.strip().lines().findFirst().orElse("");
        return firstLine
                .replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "<uuid>")
                .replaceAll("\"[^\"]*\"|'[^']*'", "<str>")
                .replaceAll("\\b\\d+(\\.\\d+)?\\b", "<n>")
                .replaceAll("\\s+", " ");
    }
}
