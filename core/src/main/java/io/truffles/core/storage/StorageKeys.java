package io.truffles.core.storage;

/** The S3 layout of the seed design: everything of a session under {@code sessions/<posthogSessionId>/}. */
public final class StorageKeys {
    private StorageKeys() {
    }

    public static String recording(String posthogSessionId) {
        return prefix(posthogSessionId) + "recording.mp4";
    }

    public static String thumbnail(String posthogSessionId) {
        return prefix(posthogSessionId) + "thumbnail.jpg";
    }

    public static String rrwebEvents(String posthogSessionId) {
        return prefix(posthogSessionId) + "rrweb-events.json";
    }

    public static String metadata(String posthogSessionId) {
        return prefix(posthogSessionId) + "metadata.json";
    }

    private static String prefix(String posthogSessionId) {
        if (posthogSessionId == null || posthogSessionId.isBlank() || posthogSessionId.contains("/")
                || posthogSessionId.contains("..")) {
            throw new IllegalArgumentException("Not a usable session id for a storage key: '" + posthogSessionId + "'");
        }
        return "sessions/" + posthogSessionId + "/";
    }
}
