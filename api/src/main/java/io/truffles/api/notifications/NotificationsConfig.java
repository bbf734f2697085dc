package io.truffles.api.notifications;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** How notifications are relayed and delivered ({@code truffles.notifications.*}). */
@ConfigMapping(prefix = "truffles.notifications")
public interface NotificationsConfig {

    /**
     * {@code DASHBOARD_URL}: the dashboard's public address, for the links in messages (http://localhost when unset)
     * and the thumbnail Slack fetches (left out when unset: Slack cannot reach a private address).
     */
    Optional<URI> dashboardUrl();

    /** Connecting to a receiver may take this long. */
    @WithDefault("5S")
    Duration connectTimeout();

    /** A receiver's whole answer may take this long; then the attempt counts as a timeout and is retried. */
    @WithDefault("10S")
    Duration requestTimeout();

    /**
     * How long a claimed delivery is held without being marked: an api that dies mid-send leaves it to another (or
     * itself restarted) after this. Longer than connect plus request timeout, so a live sender never loses it.
     */
    @WithDefault("60S")
    Duration leaseTtl();

    /** The wait after a first failed attempt (5xx, timeout); it doubles per further failure, with jitter. */
    @WithDefault("30S")
    Duration firstBackOff();

    /** The longest wait between attempts, whatever a Retry-After asks. */
    @WithDefault("10M")
    Duration maxBackOff();

    /** The longest a receiver's Retry-After is honoured (a longer one is waited this long). */
    @WithDefault("1H")
    Duration maxRetryAfter();

    /** Attempts of one delivery before it is failed for good (a channel usually pauses long before). */
    @WithDefault("10")
    int maxAttempts();

    /** Failed attempts in a row after which a channel is paused (its deliveries wait for a resume). */
    @WithDefault("5")
    int pauseAfterFailures();

    /** A channel failing (no success) for this long is paused whatever the count. */
    @WithDefault("1H")
    Duration pauseAfterFailingFor();

    /** At most one message per issue per channel within this (the quiet rule). */
    @WithDefault("1H")
    Duration quietPeriod();

    /** Deliveries sent at once by one api. */
    @WithDefault("4")
    int concurrency();

    /**
     * How often the relay and the sender look for work on the embedded server (no change streams worth following);
     * with change streams, the fallback poll behind the doorbell.
     */
    @WithDefault("1S")
    Duration poll();
}
