package io.truffles.poller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The poller's own settings; the polling interval itself is the live {@code pollingIntervalSeconds} setting. */
@ConfigMapping(prefix = "truffles.poller")
public interface PollerConfig {

    /** {@code false}: the service starts without its polling thread (tests drive the sources themselves). */
    @WithDefault("true")
    boolean enabled();

    /** {@code INBOX_PATH}: the folder of rrweb recordings read when there is no PostHog key; default {@code <data>/inbox}. */
    Optional<Path> inboxPath();

    /** How often the inbox folder is looked at. */
    @WithDefault("2S")
    Duration inboxInterval();

    /** A file must be untouched this long before it is read, so a copy still being written is not taken. */
    @WithDefault("1S")
    Duration inboxSettle();

    /** Copy the bundled sample recording into an inbox that never had it, so a fresh install shows a session. */
    @WithDefault("true")
    boolean inboxSamples();

    PostHog posthog();

    interface PostHog {
        /** Recordings listed per page. */
        @WithDefault("100")
        int pageSize();

        /** How far back the first poll looks (PostHog's {@code date_from}, e.g. {@code -3d}). */
        @WithDefault("-3d")
        String firstDateFrom();

        /**
         * A recording is imported only once nothing was added to it for this long (posthog-js starts a new session
         * after 30 minutes of inactivity), besides PostHog not calling it {@code ongoing}.
         */
        @WithDefault("35M")
        Duration quietPeriod();

        /** Snapshot calls per minute at most, spaced evenly: the free plan allows 12. */
        @WithDefault("12")
        int snapshotCallsPerMinute();

        /** Snapshot calls in any hour at most: the free plan allows 60 (PostHog's sustained replay throttle). */
        @WithDefault("60")
        int snapshotCallsPerHour();

        /** Attempts of one call on 429 / 5xx before the recording is left for the next poll. */
        @WithDefault("5")
        int maxAttempts();

        /** The first back-off after a 5xx; doubled each attempt. */
        @WithDefault("2S")
        Duration backOff();

        /** The longest single wait, whatever Retry-After says. */
        @WithDefault("5M")
        Duration maxWait();

        /**
         * How long a poller keeps the project to itself without renewing (several pollers on one project); a poll
         * renews it every third of this, also while it waits out rate limits.
         */
        @WithDefault("2M")
        Duration leaseTtl();
    }
}
