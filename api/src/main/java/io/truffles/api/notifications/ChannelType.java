package io.truffles.api.notifications;

import java.util.Arrays;
import java.util.Optional;

/** Where a channel's messages go: a Slack incoming webhook (Block Kit) or any HTTPS endpoint (signed JSON). */
public enum ChannelType {
    slack,
    webhook;

    static Optional<ChannelType> named(String name) {
        return Arrays.stream(values()).filter(type -> type.name().equals(name)).findFirst();
    }
}
