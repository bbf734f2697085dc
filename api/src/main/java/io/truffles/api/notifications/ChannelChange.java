package io.truffles.api.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Body of {@code PATCH /api/notifications/channels/<id>}: the quiet rule and/or the events, checked as
 * {@link NewChannel} checks them; what is left out stays. The URL and secret are not changed here: a new receiver is a
 * new channel (delete and add), so its history and failures are not mixed with the old one's.
 */
public record ChannelChange(JsonNode quiet, List<String> events) {
}
