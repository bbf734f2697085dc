package io.truffles.api.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import io.truffles.api.errors.ApiError;
import io.truffles.core.notifications.NotificationEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Body of {@code POST /api/notifications/channels}. The URL must be https — a webhook URL is a credential and the
 * message tells about users' problems — except to this host (http://127.0.0.1, localhost, [::1]: a receiver next to
 * Truffles, and the tests'). A webhook needs a secret of at least {@value #MIN_SECRET} characters to sign with.
 * {@code quiet} (the quiet rule, on when left out) is read as JSON, not bound to a boolean: Jackson would take
 * {@code "false"} or {@code 0} for one, and a typo there would silently flood or silence a channel.
 */
public record NewChannel(String type, String url, String secret, List<String> events, String name, JsonNode quiet) {
    static final int MIN_SECRET = 16;
    private static final int MAX_URL = 2000;
    private static final int MAX_SECRET = 500;
    private static final int MAX_NAME = 100;
    private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    /** The channel type, checked; with the URL, secret, events and name checked the same way or a 400 naming it. */
    ChannelType validType() {
        if (type == null || type.isBlank()) {
            throw ApiError.badField("type", "is required: \"slack\" or \"webhook\"");
        }
        return ChannelType.named(type).orElseThrow(() -> ApiError.badField("type",
                "'" + type + "' is not a channel type: \"slack\" or \"webhook\""));
    }

    String validUrl() {
        if (url == null || url.isBlank()) {
            throw ApiError.badField("url", "is required");
        }
        if (url.length() > MAX_URL) {
            throw ApiError.badField("url", "is longer than " + MAX_URL + " characters");
        }
        URI parsed;
        try {
            parsed = new URI(url.strip());
        } catch (URISyntaxException unreadable) {
            throw ApiError.badField("url", "is not a URL");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        String host = parsed.getHost();
        if (host == null || host.isBlank()) {
            throw ApiError.badField("url", "needs a host, as in https://hooks.slack.com/services/…");
        }
        boolean local = LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT));
        if (!scheme.equals("https") && !(scheme.equals("http") && local)) {
            throw ApiError.badField("url", "must start with https:// (http:// only to 127.0.0.1 or localhost)");
        }
        return parsed.toString();
    }

    String validSecret(ChannelType channelType) {
        if (channelType == ChannelType.slack) {
            if (secret != null && !secret.isEmpty()) {
                throw ApiError.badField("secret", "Slack channels are not signed: leave it out (only webhooks take one)");
            }
            return null;
        }
        if (secret == null || secret.isBlank()) {
            throw ApiError.badField("secret", "is required for a webhook: messages are signed with it");
        }
        if (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
            throw ApiError.badField("secret", "must be " + MIN_SECRET + " to " + MAX_SECRET + " characters long");
        }
        return secret;
    }

    List<String> validEvents() {
        return validEvents(events);
    }

    boolean validQuiet() {
        return quiet == null || validQuiet(quiet);
    }

    /** The events named, checked, each once in the order given; a 400 naming {@code events} otherwise. */
    static List<String> validEvents(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw ApiError.badField("events", "name at least one of " + known());
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String event : events) {
            if (event == null || NotificationEvent.fromWireName(event).isEmpty()) {
                throw ApiError.badField("events", "'" + event + "' is not an event: " + known());
            }
            chosen.add(event);
        }
        return List.copyOf(chosen);
    }

    /** A JSON boolean, or a 400 naming {@code quiet} (null included: leave it out for the default). */
    static boolean validQuiet(JsonNode quiet) {
        if (quiet == null || !quiet.isBoolean()) {
            throw ApiError.badField("quiet", "must be true or false (true: news of a problem at most once an hour)");
        }
        return quiet.booleanValue();
    }

    String validName(ChannelType channelType) {
        if (name == null || name.isBlank()) {
            return channelType == ChannelType.slack ? "Slack" : "Webhook";
        }
        if (name.length() > MAX_NAME) {
            throw ApiError.badField("name", "is longer than " + MAX_NAME + " characters");
        }
        return name.strip();
    }

    private static String known() {
        return String.join(", ", Arrays.stream(NotificationEvent.values()).map(NotificationEvent::wireName).toList());
    }
}
