package io.truffles.api.notifications;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.truffles.core.config.Secret;
import java.time.Instant;
import java.util.List;
import org.bson.Document;

/** A channel as the API shows it: URL and secret masked to their last four characters, like every key. */
public record ChannelView(@JsonProperty("_id") String id, String type, String name, String url, String secret,
        List<String> events, boolean quiet, boolean paused, String pausedReason, int consecutiveFailures,
        LastDelivery lastDelivery, Instant createdAt) {

    /** The channel's latest attempt (test messages aside): when, whether it worked, the HTTP status, the error. */
    public record LastDelivery(Instant at, boolean ok, Integer status, String error) {
    }

    static ChannelView of(Channel channel) {
        Document last = channel.lastDelivery();
        LastDelivery lastDelivery = last == null ? null : new LastDelivery(
                last.getDate("at") == null ? null : last.getDate("at").toInstant(), last.getBoolean("ok", false),
                last.getInteger("status"), last.getString("error"));
        return new ChannelView(channel.id().toHexString(), channel.type().name(), channel.name(),
                Secret.mask(channel.url()), channel.secret() == null ? null : Secret.mask(channel.secret()),
                channel.events(), channel.quiet(), channel.paused(), channel.pausedReason(),
                channel.consecutiveFailures(), lastDelivery, channel.createdAt());
    }
}
